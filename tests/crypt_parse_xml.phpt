--TEST--
WxRedis\MessageCrypt::parseXml(): WeChat shapes, and hostile XML refused with -40002, never a warning
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis extension not loaded'); ?>
--FILE--
<?php
use WxRedis\MessageCrypt;

set_error_handler(function ($no, $str) {
    if (error_reporting() & $no) echo "WARNING RAISED: $str\n";
    return true;
});
libxml_use_internal_errors(true);

function t(string $what, string $xml): void {
    $t0 = microtime(true);
    try {
        $r = MessageCrypt::parseXml($xml);
        echo "$what: accepted ", json_encode($r, JSON_UNESCAPED_UNICODE), "\n";
    } catch (WxRedis\CryptException $e) {
        echo "$what: ", $e->getCode(), ' ', $e->getMessage(), "\n";
    }
    if (microtime(true) - $t0 > 0.5) echo "$what: too slow\n";
}

echo "-- shapes\n";
t('ticket, CDATA', '<xml><AppId><![CDATA[wx1]]></AppId><CreateTime>1413192605</CreateTime><InfoType><![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA[ticket@@@A]]></ComponentVerifyTicket></xml>');
t('ticket, plain', "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xml>\n  <AppId>wx1</AppId>\n  <CreateTime>1413192605</CreateTime>\n</xml>\n");
t('authorized', '<xml><AppId>c</AppId><CreateTime>1</CreateTime><InfoType>authorized</InfoType><AuthorizerAppid>a</AuthorizerAppid><AuthorizationCode>code</AuthorizationCode><AuthorizationCodeExpiredTime>2</AuthorizationCodeExpiredTime><PreAuthCode>p</PreAuthCode></xml>');
t('fasteregister, nested info', '<xml><AppId>c</AppId><InfoType>notify_third_fasteregister</InfoType><appid>m</appid><status>0</status><auth_code>x</auth_code><msg>OK</msg><info><name><![CDATA[公司]]></name><code>1</code><legal_persona_wechat>w</legal_persona_wechat></info></xml>');
t('repeated elements become a list', '<xml><ArticleCount>2</ArticleCount><Articles><item><Title>a</Title></item><item><Title>b</Title></item><item><Title>c</Title></item></Articles><x>1</x><x>2</x></xml>');
t('empty elements', '<xml><a/><b></b><c><![CDATA[]]></c></xml>');
t('mixed text and CDATA', '<xml><a>x<![CDATA[<y>&amp;]]>z</a></xml>');
t('built-in entities and character references', '<xml><a>&lt;&gt;&amp;&quot;&apos;&#20013;&#x6587;</a></xml>');
t('attributes and comments ignored', '<xml a="1"><!-- c --><b c="2">v</b><?pi x?></xml>');
t('empty root', '<xml/>');
t('numeric-looking names stay strings', '<xml><_1>a</_1><a1>b</a1></xml>');

echo "-- hostile\n";
$secret = tempnam(sys_get_temp_dir(), 'wx');
file_put_contents($secret, 'TOPSECRET');
t('bare DOCTYPE', '<!DOCTYPE xml><xml/>');
t('internal entity', '<!DOCTYPE xml [<!ENTITY e "x">]><xml><a>&e;</a></xml>');
ob_start();
t('XXE to a local file', "<!DOCTYPE xml [<!ENTITY e SYSTEM \"file://$secret\">]><xml><a>&e;</a></xml>");
$out = ob_get_clean();
echo $out, str_contains($out, 'TOPSECRET') ? "SECRET LEAKED\n" : "";
unlink($secret);
$laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">';
for ($i = 1; $i <= 9; $i++) $laughs .= "<!ENTITY lol$i \"" . str_repeat('&lol' . ($i > 1 ? $i - 1 : '') . ';', 10) . '">';
$laughs .= ']><xml><a>&lol9;</a></xml>';
t('billion laughs', $laughs);
t('undefined entity', '<xml><a>&nbsp;</a></xml>');

// anything fetched would have to connect here
$server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
$port = parse_url('tcp://' . stream_socket_get_name($server, false), PHP_URL_PORT);
t('external DTD over http', "<!DOCTYPE xml SYSTEM \"http://127.0.0.1:$port/x.dtd\"><xml/>");
t('parameter entity over http', "<!DOCTYPE xml [<!ENTITY % p SYSTEM \"http://127.0.0.1:$port/p\"> %p;]><xml/>");
t('XInclude is inert', "<xml xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"http://127.0.0.1:$port/i\"/></xml>");
stream_set_blocking($server, false);
var_dump(@stream_socket_accept($server, 0));

$ten = '<xml>' . str_repeat('<a>0123456789</a>', intdiv(10 * 1024 * 1024, 17)) . '</xml>';
printf("%.1f MB\n", strlen($ten) / 1048576);
t('10 MB', $ten);
t('33 levels', str_repeat('<a>', 33) . str_repeat('</a>', 33));
t('32 levels', str_repeat('<a>', 32) . 'deep' . str_repeat('</a>', 32));

echo "-- malformed\n";
foreach (['', ' ', 'success', '<xml>', '<xml><a>1</b></xml>', '<xml/><xml/>', '<xml/>junk', "<xml>\xff</xml>",
          "<xml>a\0b</xml>", '<xml><![CDATA[x</xml>', '{"errcode":0}', '<?xml version="1.0" encoding="nope"?><xml/>'] as $i => $bad) {
    t("malformed #$i", $bad);
}
var_dump(count(libxml_get_errors()));
?>
--EXPECT--
-- shapes
ticket, CDATA: accepted {"AppId":"wx1","CreateTime":"1413192605","InfoType":"component_verify_ticket","ComponentVerifyTicket":"ticket@@@A"}
ticket, plain: accepted {"AppId":"wx1","CreateTime":"1413192605"}
authorized: accepted {"AppId":"c","CreateTime":"1","InfoType":"authorized","AuthorizerAppid":"a","AuthorizationCode":"code","AuthorizationCodeExpiredTime":"2","PreAuthCode":"p"}
fasteregister, nested info: accepted {"AppId":"c","InfoType":"notify_third_fasteregister","appid":"m","status":"0","auth_code":"x","msg":"OK","info":{"name":"公司","code":"1","legal_persona_wechat":"w"}}
repeated elements become a list: accepted {"ArticleCount":"2","Articles":{"item":[{"Title":"a"},{"Title":"b"},{"Title":"c"}]},"x":["1","2"]}
empty elements: accepted {"a":"","b":"","c":""}
mixed text and CDATA: accepted {"a":"x<y>&amp;z"}
built-in entities and character references: accepted {"a":"<>&\"'中文"}
attributes and comments ignored: accepted {"b":"v"}
empty root: accepted []
numeric-looking names stay strings: accepted {"_1":"a","a1":"b"}
-- hostile
bare DOCTYPE: -40002 XML with a DOCTYPE is refused (no DTDs or entities are accepted)
internal entity: -40002 XML with a DOCTYPE is refused (no DTDs or entities are accepted)
XXE to a local file: -40002 XML with a DOCTYPE is refused (no DTDs or entities are accepted)
billion laughs: -40002 XML with a DOCTYPE is refused (no DTDs or entities are accepted)
undefined entity: -40002 malformed XML at line 1: Entity 'nbsp' not defined
external DTD over http: -40002 XML with a DOCTYPE is refused (no DTDs or entities are accepted)
parameter entity over http: -40002 XML with a DOCTYPE is refused (no DTDs or entities are accepted)
XInclude is inert: accepted {"xi:include":""}
bool(false)
10.0 MB
10 MB: -40002 XML of 10485764 bytes refused: the limit is 4194304 bytes
33 levels: -40002 XML nesting deeper than 32 levels is refused
32 levels: accepted {"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":"deep"}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}
-- malformed
malformed #0: -40002 XML is empty
malformed #1: -40002 XML has no root element
malformed #2: -40002 malformed XML at line 1: Document is empty
malformed #3: -40002 malformed XML: the document ends inside <xml> (truncated?)
malformed #4: -40002 malformed XML at line 1: Opening and ending tag mismatch: a line 1 and b
malformed #5: -40002 malformed XML at line 1: Extra content at the end of the document
malformed #6: -40002 malformed XML at line 1: Extra content at the end of the document
malformed #7: -40002 malformed XML at line 1: Input is not proper UTF-8, indicate encoding ! Bytes: 0xFF 0x3C 0x2F 0x78
malformed #8: -40002 malformed XML at line 1: Char 0x0 out of allowed range
malformed #9: -40002 malformed XML: the document ends inside <xml> (truncated?)
malformed #10: -40002 malformed XML at line 1: Document is empty
malformed #11: -40002 XML declaring encoding "nope" is refused: only UTF-8 is accepted
int(0)
