--TEST--
WxRedis\OpenPlatform: missing, expired (61005) and invalid (61006) tickets: TicketException/ApiException saying when the last came and that a re-push was requested, at most once per 10 minutes
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start();
$p = wx_platform($emu);
$raw = wx_test_raw();
$pre = wx_test_prefix();
$ticketKey = $pre . 'open_platform.verify_ticket.' . WX_PLATFORM_APPID;
$pushKey = $pre . 'wxredis.push_ticket_requested.' . WX_PLATFORM_APPID;
$lock = $pre . 'wxredis.lock.component_access_token.' . WX_PLATFORM_APPID;
$calls = fn (string $api) => wx_emu_calls($emu, "/cgi-bin/component/$api");
$pushes = fn () => count(wx_emu_control($emu, 'state')['push_requests']);

echo "-- never a ticket\n";
wx_platform_try(fn () => $p->getComponentAccessToken());
$raw->pexpire($lock, '10000');                       // hold the 1 s back-off for the next step, even in a slow run
var_dump($calls('api_start_push_ticket'), $pushes(), $calls('api_component_token'));
$log = wx_emu_control($emu, 'log', ['path' => '/cgi-bin/component/api_start_push_ticket']);
echo json_encode(array_keys($log[0]['body'])), "\n";    // component_secret, not component_appsecret
var_dump($raw->ttl($pushKey) > 590);
echo "-- again at once: the error is handed on (back-off), WeChat is not asked again\n";
wx_platform_try(fn () => $p->getComponentAccessToken());
echo "-- after the back-off: a push was already requested\n";
$raw->del($lock);
wx_platform_try(fn () => wx_platform($emu)->getComponentAccessToken());
var_dump($calls('api_start_push_ticket'), $calls('api_component_token'));

echo "-- the ticket arrives: tokens at once (the back-off ends with it)\n";
$raw->pexpire($lock, '10000');
wx_platform_try(fn () => $p->getComponentAccessToken());
wx_platform_push_ticket($emu, $p);
var_dump($raw->exists($lock));
wx_platform_try(fn () => $p->getComponentAccessToken());
var_dump($calls('api_component_token'));

echo "-- the ticket key expired (no push for 11.5 h): says when the last one came\n";
$raw->del($ticketKey, $pushKey, $pre . 'open_platform.component_access_token.' . WX_PLATFORM_APPID);
wx_platform_try(fn () => $p->getComponentAccessToken());
var_dump($calls('api_start_push_ticket'));

echo "-- WeChat says the stored ticket expired (61005)\n";
wx_platform_push_ticket($emu, $p);
$raw->del($pushKey);
wx_emu_control($emu, 'age_ticket', ['seconds' => 50000]);
wx_platform_try(fn () => $p->getComponentAccessToken());
var_dump($calls('api_start_push_ticket'), $p->getVerifyTicket() !== null);   // the ticket is kept
echo "-- and invalid (61006): a ticket WeChat never issued\n";
$p->setVerifyTicket('ticket@@@corrupted-by-some-serializer');
wx_platform_try(fn () => $p->getComponentAccessToken());
var_dump($calls('api_start_push_ticket'), $calls('api_component_token'));
echo "-- no token was stored by any of this\n";
var_dump($raw->exists($pre . 'open_platform.component_access_token.' . WX_PLATFORM_APPID));
echo "-- the next push fixes it\n";
wx_platform_push_ticket($emu, $p);
wx_platform_try(fn () => $p->getComponentAccessToken());

echo "-- api_start_push_ticket itself fails: said so\n";
$raw->del($ticketKey, $pushKey, $pre . 'open_platform.component_access_token.' . WX_PLATFORM_APPID);
wx_emu_control($emu, 'fail', ['path' => '/cgi-bin/component/api_start_push_ticket', 'errcode' => 61004]);
wx_platform_try(fn () => wx_platform($emu)->getComponentAccessToken());
wx_emu_stop($emu);
?>
--EXPECT--
-- never a ticket
WxRedis\TicketException(0): No component_verify_ticket is stored for component app id "wx0000000000component" (key "{prefix}open_platform.verify_ticket.wx0000000000component"): none was stored in the last 30 days; asked WeChat to push a new ticket (api_start_push_ticket). WeChat pushes a ticket every 10 minutes to the authorization-event URL, which must reach handleCallback()
int(1)
int(1)
int(0)
["component_appid","component_secret"]
bool(true)
-- again at once: the error is handed on (back-off), WeChat is not asked again
WxRedis\TicketException(0): No component_verify_ticket is stored for component app id "wx0000000000component" (key "{prefix}open_platform.verify_ticket.wx0000000000component"): none was stored in the last 30 days; asked WeChat to push a new ticket (api_start_push_ticket). WeChat pushes a ticket every 10 minutes to the authorization-event URL, which must reach handleCallback() (the last component_access_token refresh failed with this error less than 1000 ms ago; the next try comes after that back-off)
-- after the back-off: a push was already requested
WxRedis\TicketException(0): No component_verify_ticket is stored for component app id "wx0000000000component" (key "{prefix}open_platform.verify_ticket.wx0000000000component"): none was stored in the last 30 days; a new push was already requested at {time}, N s ago (at most one request every 10 minutes). WeChat pushes a ticket every 10 minutes to the authorization-event URL, which must reach handleCallback()
int(1)
int(0)
-- the ticket arrives: tokens at once (the back-off ends with it)
WxRedis\TicketException(0): No component_verify_ticket is stored for component app id "wx0000000000component" (key "{prefix}open_platform.verify_ticket.wx0000000000component"): none was stored in the last 30 days; a new push was already requested at {time}, N s ago (at most one request every 10 minutes). WeChat pushes a ticket every 10 minutes to the authorization-event URL, which must reach handleCallback() (the last component_access_token refresh failed with this error less than 1000 ms ago; the next try comes after that back-off)
int(0)
returned a string
int(1)
-- the ticket key expired (no push for 11.5 h): says when the last one came
WxRedis\TicketException(0): No component_verify_ticket is stored for component app id "wx0000000000component" (key "{prefix}open_platform.verify_ticket.wx0000000000component"): the last one was stored at {time}, N s ago; asked WeChat to push a new ticket (api_start_push_ticket). WeChat pushes a ticket every 10 minutes to the authorization-event URL, which must reach handleCallback()
int(2)
-- WeChat says the stored ticket expired (61005)
WxRedis\ApiException(61005): WeChat api_component_token failed: errcode 61005, errmsg "component ticket is expired rid: {rid}". Hint: the component_verify_ticket has expired: WeChat pushes a new one every 10 minutes to the authorization-event URL, and those pushes must reach handleCallback(); asked WeChat to push a new ticket (api_start_push_ticket)
int(3)
bool(true)
-- and invalid (61006): a ticket WeChat never issued
WxRedis\ApiException(61006): WeChat api_component_token failed: errcode 61006, errmsg "component ticket is invalid rid: {rid}". Hint: the component_verify_ticket is not one WeChat issued to this platform (corrupted on the way, or another platform's): WeChat pushes a new one every 10 minutes to the authorization-event URL, and those pushes must reach handleCallback(); a new push was already requested at {time}, N s ago (at most one request every 10 minutes)
int(3)
int(3)
-- no token was stored by any of this
int(0)
-- the next push fixes it
returned a string
-- api_start_push_ticket itself fails: said so
WxRedis\TicketException(0): No component_verify_ticket is stored for component app id "wx0000000000component" (key "{prefix}open_platform.verify_ticket.wx0000000000component"): the last one was stored at {time}, N s ago; asking WeChat to push a new ticket failed: WeChat api_start_push_ticket failed: errcode 61004, errmsg "access clientip is not registered requestIP: 127.0.0.1 rid: {rid}". Hint: this server's outgoing IP is not on the platform's API IP whitelist (open.weixin.qq.com, the platform's development settings); errmsg shows the IP WeChat saw. WeChat pushes a ticket every 10 minutes to the authorization-event URL, which must reach handleCallback()
