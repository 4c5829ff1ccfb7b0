--TEST--
WxRedis\MessageCrypt: published vectors (Tencent, WxJava, EasyWeChat, wechatpy)
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis extension not loaded'); ?>
--FILE--
<?php
use WxRedis\MessageCrypt;

echo "Tencent's own sample (Python WXBizMsgCrypt)\n";
$c = new MessageCrypt('spamtest', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'wx2c2769f8efd9abc2');
$enc = 'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=';
var_dump($c->signature('1409735669', '1320562132', $enc));
$xml = $c->decrypt($enc, '5d197aaffba7e9b25a30732f161a50dee96bd5fa', '1409735669', '1320562132');
var_dump(strlen($xml), md5($xml)); // md5 of the plaintext from tests/support/ref_crypt.php
$data = MessageCrypt::parseXml($xml);
var_dump($data['Content'], $data['MsgId']);
// the same through decryptMessage, as the callback receives it
$body = "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[$enc]]></Encrypt></xml>";
$q = ['signature' => 'x', 'timestamp' => '1409735669', 'nonce' => '1320562132', 'encrypt_type' => 'aes',
      'msg_signature' => '5d197aaffba7e9b25a30732f161a50dee96bd5fa'];
var_dump($c->decryptMessage($q, $body) === $xml);

echo "WxJava WxCryptUtilTest: fixed random prefix aaaabbbbccccdddd\n";
// binarywang/WxJava weixin-java-common/src/test/java/me/chanjar/weixin/common/util/crypto/WxCryptUtilTest.java
$c = new MessageCrypt('pamtest', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'wxb11529c136998cb6');
$reply = $c->encrypt('我是中文abcd123', '1409304348', 'xxxxxx', 'aaaabbbbccccdddd');
$r = MessageCrypt::parseXml($reply);
var_dump($r['Encrypt'] === 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==');
var_dump($r['MsgSignature'] === $c->signature('1409304348', 'xxxxxx', $r['Encrypt']), $r['TimeStamp'], $r['Nonce']);
var_dump($c->decrypt($r['Encrypt'], $r['MsgSignature'], '1409304348', 'xxxxxx'));
$msg2 = '<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>';
$r = MessageCrypt::parseXml($c->encrypt($msg2, '1409304348', 'xxxxxx', 'aaaabbbbccccdddd'));
var_dump($r['Encrypt'] === 'jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb');
var_dump(MessageCrypt::parseXml($c->decrypt($r['Encrypt'], $r['MsgSignature'], '1409304348', 'xxxxxx'))['Video']);

echo "EasyWeChat EncryptorTest (same key, token and appid)\n";
// w7corp/easywechat tests/Kernel/EncryptorTest.php
$enc = 'rTNFcsut4LfGuAFKEUVVpwcaCOTJzOd9twZdIW910jb3k+iicx2uvhttIZ3Qg9Qgty3BEF2xbOrz6boTfb30dMomcgrkTqdFPwnhqbk+kIQ7rZiwny9D7NUrTgA5kpX3KsZvrXzUZyP2x9YOlxbgm572lmxKvM7HAQQhIQ/p6HBmoY30bGXFK0BtIu1pW9TjhOYrLQoU18nWYjWqDA1ynkmOytpv7QRI1P1+0NoxL0q2zO1DgeSvnE8CZGo/o5Ap/WHK5W2RAsinpzN4/LjPnmB6U01I5XCoJoC0GK/yMZycd2Oh8Nq6+wBkC1U85oy0ktOY4nLvsQMLrourmMGdZHuTbqpeJ8Ao/5PRYJ+WBvRUwPfGKBL2+2IKZF49vAJqkcGWSHGE76ZN2erXeuNazf/o9o3lIE3q739o4c8t9QGPe31GT2Go/rOz1BsrASwvauNulCh+++yz+CQzBIuikA==';
$data = MessageCrypt::parseXml($c->decrypt($enc, '4f3ad57b6989f09f4eb392acce4f9e93942ed890', '1458300676', '260774613'));
var_dump($data['ToUserName'], $data['FromUserName'], $data['CreateTime'], $data['Content']);
try {
    $c->decrypt($enc, 'invalid-signature', '1458300676', '260774613');
} catch (WxRedis\CryptException $e) {
    echo $e->getCode(), "\n";
}
try {
    (new MessageCrypt('pamtest', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'invalid appid'))
        ->decrypt($enc, '4f3ad57b6989f09f4eb392acce4f9e93942ed890', '1458300676', '260774613');
} catch (WxRedis\CryptException $e) {
    echo $e->getCode(), ' ', $e->getMessage(), "\n";
}

echo "wechatpy test_crypto.py: the whole reply envelope, byte for byte\n";
// wechatpy/wechatpy tests/test_crypto.py (WeCom: corp id in place of the appid)
$c = new MessageCrypt('123456', 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', 'wx49f0ab532d5d035a');
$reply = "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>";
$expected = "<xml>\n<Encrypt><![CDATA[9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3]]></Encrypt>\n<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>\n<TimeStamp>1411525903</TimeStamp>\n<Nonce><![CDATA[461056294]]></Nonce>\n</xml>";
var_dump($c->encrypt($reply, '1411525903', '461056294', '1234567890123456') === $expected);
$enc = 'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=';
$body = "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>\n<Encrypt><![CDATA[$enc]]></Encrypt>\n<AgentID><![CDATA[1]]></AgentID>\n</xml>";
$data = MessageCrypt::parseXml($c->decryptMessage(
    ['msg_signature' => '74d92dfeb87ba7c714f89d98870ae5eb62dff26d', 'timestamp' => '1411525903', 'nonce' => '461056294'], $body));
var_dump($data['Content'], $data['FromUserName']);
var_dump($c->decrypt('4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==',
    'dd6b9c95b495b3f7e2901bfbc76c664930ffdb96', '1411443780', '437374425'));
?>
--EXPECT--
Tencent's own sample (Python WXBizMsgCrypt)
string(40) "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
int(280)
string(32) "31d26e117ba3b69edd75259878ed01a5"
string(7) "abcdteT"
string(19) "6054768590064713728"
bool(true)
WxJava WxCryptUtilTest: fixed random prefix aaaabbbbccccdddd
bool(true)
bool(true)
string(10) "1409304348"
string(6) "xxxxxx"
string(19) "我是中文abcd123"
bool(true)
array(3) {
  ["MediaId"]=>
  string(64) "eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0"
  ["Title"]=>
  string(22) "testCallBackReplyVideo"
  ["Description"]=>
  string(22) "testCallBackReplyVideo"
}
EasyWeChat EncryptorTest (same key, token and appid)
string(9) "asdasdasd"
string(15) "asdasdasdsadasd"
string(10) "1234567898"
string(5) "hello"
-40001
-40005 appid mismatch: expected 'invalid appid', got 'wxb11529c136998cb6'
wechatpy test_crypto.py: the whole reply envelope, byte for byte
bool(true)
string(4) "test"
string(8) "messense"
string(19) "5927782489442352469"
