--TEST--
WxRedis\OpenPlatform::handleCallback(): tickets stored as EasyWeChat stores them, every InfoType answered "success", handler, bad pushes
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
require_once __DIR__ . '/support/ref_crypt.php';
$emu = wx_emu_start();
$p = wx_platform($emu);
$raw = wx_test_raw();
$key = wx_test_prefix() . 'open_platform.verify_ticket.' . WX_PLATFORM_APPID;
$atKey = wx_test_prefix() . 'wxredis.verify_ticket_stored_at.' . WX_PLATFORM_APPID;

echo "-- a ticket push\n";
var_dump($p->getVerifyTicket());
$seen = [];
$push = wx_emu_control($emu, 'push_ticket');
var_dump($p->handleCallback($push['query'], $push['body'], function (array $m) use (&$seen) { $seen[] = $m; }));
var_dump($raw->get($key) === serialize($push['ticket']));
$ttl = $raw->ttl($key);
var_dump($ttl > 41390 && $ttl <= 41400);          // 11.5 h: WeChat's 12 h less 30 min
var_dump(abs(unserialize($raw->get($atKey)) - time()) <= 2, $raw->ttl($atKey) > 2591990);
var_dump($p->getVerifyTicket() === $push['ticket']);
echo json_encode(array_keys($seen[0])), ' ', $seen[0]['InfoType'], ' ', $seen[0]['ComponentVerifyTicket'] === $push['ticket'] ? 'same ticket' : 'other', "\n";

echo "-- without CDATA, and the next push replaces it\n";
$t2 = wx_platform_push_ticket($emu, $p, ['cdata' => false]);
var_dump($p->getVerifyTicket() === $t2, $t2 !== $push['ticket']);

echo "-- a push that left WeChat 12 h ago is not stored over a fresh one\n";
$old = wx_emu_control($emu, 'push_event', ['xml' => '<xml><AppId><![CDATA[' . WX_PLATFORM_APPID . ']]></AppId><CreateTime>'
    . (time() - 43000) . '</CreateTime><InfoType><![CDATA[component_verify_ticket]]></InfoType>'
    . '<ComponentVerifyTicket><![CDATA[ticket@@@old]]></ComponentVerifyTicket></xml>']);
var_dump($p->handleCallback($old['query'], $old['body']), $p->getVerifyTicket() === $t2);
echo "-- one pushed 2 h ago keeps 9.5 h (when no newer one is stored)\n";
$raw->del($key);
$late = wx_emu_control($emu, 'push_event', ['xml' => '<xml><AppId>' . WX_PLATFORM_APPID . '</AppId><CreateTime>'
    . (time() - 7200) . '</CreateTime><InfoType>component_verify_ticket</InfoType>'
    . '<ComponentVerifyTicket>ticket@@@late</ComponentVerifyTicket></xml>']);
var_dump($p->handleCallback($late['query'], $late['body']), $p->getVerifyTicket(), abs($raw->ttl($key) - 34200) <= 2);

echo "-- other InfoTypes are accepted and handed to the handler\n";
$before = $raw->get($key);
foreach ([
    '<xml><AppId>' . WX_PLATFORM_APPID . '</AppId><CreateTime>1413192760</CreateTime><InfoType>something_new</InfoType><Foo>bar</Foo></xml>',
    '<xml><AppId><![CDATA[' . WX_PLATFORM_APPID . ']]></AppId><CreateTime>1535442403</CreateTime><InfoType><![CDATA[notify_third_fasteregister]]></InfoType>'
        . '<appid>wxminiprogram01</appid><status>0</status><auth_code>xxxxx</auth_code><msg>OK</msg>'
        . '<info><name><![CDATA[Some Co.]]></name><code><![CDATA[123]]></code></info></xml>',
    '<xml><ToUserName>gh_1</ToUserName><MsgType>text</MsgType><Content>no InfoType</Content></xml>',
] as $xml) {
    $ev = wx_emu_control($emu, 'push_event', ['xml' => $xml]);
    $got = null;
    var_dump($p->handleCallback($ev['query'], $ev['body'], function ($m) use (&$got) { $got = $m; return 'ignored'; }));
    echo json_encode($got), "\n";
}
var_dump($raw->get($key) === $before);

echo "-- a handler that throws: the ticket is stored first\n";
$t3 = wx_emu_control($emu, 'push_ticket');
wx_try(fn () => $p->handleCallback($t3['query'], $t3['body'], function () { throw new LogicException('handler failed'); }));
var_dump($p->getVerifyTicket() === $t3['ticket']);
echo "-- a handler that is not callable\n";
wx_try(fn () => $p->handleCallback($t3['query'], $t3['body'], 'no_such_function'));

echo "-- bad pushes change nothing\n";
$bad = $t3;
$bad['query']['msg_signature'] = str_repeat('0', 40);
wx_try(fn () => $p->handleCallback($bad['query'], $bad['body']));
$q = $t3['query'];
unset($q['nonce']);
wx_try(fn () => $p->handleCallback($q, $t3['body']));
wx_try(fn () => $p->handleCallback($t3['query'], '<xml><AppId>x</AppId></xml>'));
wx_try(fn () => $p->handleCallback($t3['query'], 'not xml'));
wx_try(fn () => $p->handleCallback($t3['query'], '<!DOCTYPE x [<!ENTITY e "e">]><xml><Encrypt>&e;</Encrypt></xml>'));
$noTicket = wx_emu_control($emu, 'push_event', ['xml' => '<xml><AppId>' . WX_PLATFORM_APPID . '</AppId><InfoType>component_verify_ticket</InfoType></xml>']);
wx_try(fn () => $p->handleCallback($noTicket['query'], $noTicket['body']));
var_dump($p->getVerifyTicket() === $t3['ticket']);

echo "-- another platform's push (other appid) is refused\n";
$other = new WxRefCrypt('emu-token', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'wxsomeoneelse');
$fake = $other->push('<xml><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>evil</ComponentVerifyTicket></xml>', (string) time(), '12345');
wx_try(fn () => $p->handleCallback($fake['query'], $fake['body']));

echo "-- EncodingAESKey rotation: the push encrypted with the previous key works\n";
$rotated = wx_platform($emu, ['aes_key' => 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut',
    'previous_aes_key' => 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG']);
$t4 = wx_platform_push_ticket($emu, $rotated);
var_dump($rotated->getVerifyTicket() === $t4);

echo "-- setVerifyTicket()\n";
$p->setVerifyTicket('ticket@@@manual');
var_dump($raw->get($key), $raw->ttl($key) > 41390);
wx_try(fn () => $p->setVerifyTicket(''));

echo "-- integers in the query (frameworks cast them)\n";
$t5 = wx_emu_control($emu, 'push_ticket');
$q = $t5['query'];
$q['timestamp'] = (int) $q['timestamp'];
$q['nonce'] = (int) $q['nonce'];
var_dump($p->handleCallback($q, $t5['body']), $p->getVerifyTicket() === $t5['ticket']);
echo json_encode(wx_emu_calls($emu)), "\n";
wx_emu_stop($emu);
?>
--EXPECTF--
-- a ticket push
NULL
string(7) "success"
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
["AppId","CreateTime","InfoType","ComponentVerifyTicket"] component_verify_ticket same ticket
-- without CDATA, and the next push replaces it
bool(true)
bool(true)
-- a push that left WeChat 12 h ago is not stored over a fresh one
string(7) "success"
bool(true)
-- one pushed 2 h ago keeps 9.5 h (when no newer one is stored)
string(7) "success"
string(13) "ticket@@@late"
bool(true)
-- other InfoTypes are accepted and handed to the handler
string(7) "success"
{"AppId":"wx0000000000component","CreateTime":"1413192760","InfoType":"something_new","Foo":"bar"}
string(7) "success"
{"AppId":"wx0000000000component","CreateTime":"1535442403","InfoType":"notify_third_fasteregister","appid":"wxminiprogram01","status":"0","auth_code":"xxxxx","msg":"OK","info":{"name":"Some Co.","code":"123"}}
string(7) "success"
{"ToUserName":"gh_1","MsgType":"text","Content":"no InfoType"}
bool(true)
-- a handler that throws: the ticket is stored first
LogicException(0): handler failed
bool(true)
-- a handler that is not callable
TypeError(0): WxRedis\OpenPlatformBase::handleCallback(): Argument #3 ($handler) must be a valid callback or null, function "no_such_function" not found or invalid function name
-- bad pushes change nothing
WxRedis\CryptException(-40001): %s
WxRedis\CryptException(-40001): the query string has no nonce parameter (is this an encrypted push?)
WxRedis\CryptException(-40002): callback body: the envelope has no Encrypt value (at byte 27)
WxRedis\CryptException(-40002): callback body: %s
WxRedis\CryptException(-40002): callback body: %s
WxRedis\CryptException(-40002): component_verify_ticket push without <ComponentVerifyTicket>
bool(true)
-- another platform's push (other appid) is refused
WxRedis\CryptException(-40005): %s
-- EncodingAESKey rotation: the push encrypted with the previous key works
bool(true)
-- setVerifyTicket()
string(23) "s:15:"ticket@@@manual";"
bool(true)
ValueError(0): WxRedis\OpenPlatformBase::setVerifyTicket(): Argument #1 ($ticket) must not be empty
-- integers in the query (frameworks cast them)
string(7) "success"
bool(true)
[]
