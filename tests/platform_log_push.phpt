--TEST--
WxRedis\OpenPlatform's logger, pushes: ticket stored (age, server), ticket refused (older, expired, foreign AppId), push rejected, push requested; context keys as documented, fingerprints only, never a ticket or secret
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
require __DIR__ . '/support/logger.inc';
$emu = wx_emu_start();
$p = wx_platform($emu);
$log = new WxTestLogger();
var_dump($p instanceof Psr\Log\LoggerAwareInterface, $log instanceof Psr\Log\LoggerInterface);
$p->setLogger($log);
$tickets = [];
$xml = fn (int $created, string $ticket, string $appid = WX_PLATFORM_APPID) =>
    "<xml><AppId><![CDATA[$appid]]></AppId><CreateTime>$created</CreateTime>"
    . "<InfoType><![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA[$ticket]]></ComponentVerifyTicket></xml>";
$deliver = function (array $push) use ($p) {
    try { return $p->handleCallback($push['query'], $push['body']); }
    catch (WxRedis\Exception $e) { return get_class($e) . '(' . $e->getCode() . ')'; }
};

echo "-- no ticket: a push is requested\n";
try { $p->getComponentAccessToken(); } catch (WxRedis\TicketException $e) { echo "TicketException\n"; }
wx_test_raw()->del(wx_platform_lock_key());    // end the 1 s back-off the failure left
try { $p->getComponentAccessToken(); } catch (WxRedis\TicketException $e) { echo "TicketException\n"; }
foreach ($log->events('wxredis.push.requested') as $r) {
    echo $log->shape($r), ' ', $r['context']['outcome'], "\n";
}

echo "-- ticket stored\n";
$log->clear();
$tickets[] = $t1 = wx_platform_push_ticket($emu, $p);
[$r] = $log->events('wxredis.ticket.stored');
echo $log->shape($r), "\n";
$c = $r['context'];
var_dump($c['ticket'] === substr(hash('sha256', $t1), 0, 8), $c['age'] >= 0 && $c['age'] < 600, $c['server'] === gethostname(),
         $c['pid'] === getmypid(), $c['app_id'] === WX_PLATFORM_APPID, $c['ttl'] > 40500 && $c['ttl'] <= 41400, is_int($c['create_time']));

echo "-- an older push after it: refused (older)\n";
$log->clear();
$now = wx_emu_control($emu, 'clock')['now'] ?? time();
$tickets[] = $old = 'ticket@@@older-' . bin2hex(random_bytes(8));
echo $deliver(wx_emu_control($emu, 'push_event', ['xml' => $xml((int) $now - 3600, $old)])), "\n";
[$r] = $log->events('wxredis.ticket.refused');
echo $log->shape($r), ' why=', $r['context']['why'], ' age=', $r['context']['age'] >= 3599 ? '~3600' : $r['context']['age'], "\n";

echo "-- a push older than the ticket's lifetime: refused (expired)\n";
$log->clear();
$tickets[] = $stale = 'ticket@@@stale-' . bin2hex(random_bytes(8));
echo $deliver(wx_emu_control($emu, 'push_event', ['xml' => $xml((int) $now - 43000, $stale)])), "\n";
[$r] = $log->events('wxredis.ticket.refused');
echo $log->shape($r), ' why=', $r['context']['why'], "\n";

echo "-- a ticket for another platform: refused (foreign_app_id), CryptException for the caller\n";
$log->clear();
$tickets[] = $foreign = 'ticket@@@foreign-' . bin2hex(random_bytes(8));
echo $deliver(wx_emu_control($emu, 'push_event', ['xml' => $xml((int) $now, $foreign, 'wxsomeoneelse')])), "\n";
[$r] = $log->events('wxredis.ticket.refused');
echo $log->shape($r), ' why=', $r['context']['why'], "\n";

echo "-- a push that does not verify: rejected\n";
$log->clear();
$push = wx_emu_control($emu, 'push_ticket');
$tickets[] = $push['ticket'];
$push['query']['msg_signature'] = str_repeat('0', 40);
echo $deliver($push), "\n";
[$r] = $log->events('wxredis.push.rejected');
echo $log->shape($r), ' code=', $r['context']['code'], "\n";
var_dump($p->getVerifyTicket() === $t1);     // nothing of the refused ones stored

echo "-- setVerifyTicket() is logged as stored, undated\n";
$log->clear();
$tickets[] = $manual = 'ticket@@@manual-' . bin2hex(random_bytes(8));
$p->setVerifyTicket($manual);
[$r] = $log->events('wxredis.ticket.stored');
var_dump($r['context']['age'], $r['context']['create_time']);

echo "-- never a ticket or secret, static messages\n";
$all = new WxTestLogger();
$p2 = wx_platform($emu);
$p2->setLogger($all);
$tickets[] = wx_platform_push_ticket($emu, $p2);
$deliver2 = fn ($push) => (function () use ($p2, $push) { try { $p2->handleCallback($push['query'], $push['body']); } catch (WxRedis\Exception) {} })();
$deliver2(wx_emu_control($emu, 'push_event', ['xml' => $xml((int) $now - 3600, $old)]));
$all->records = array_merge($log->records, $all->records);
$secrets = ['secret' => 'emu-secret', 'token' => 'emu-token', 'aes_key' => 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'];
foreach ($tickets as $i => $t) $secrets["ticket$i"] = $t;
var_dump(wx_log_leaks($all, $secrets), wx_log_static($all));
wx_emu_stop($emu);
?>
--EXPECTF--
bool(true)
bool(true)
-- no ticket: a push is requested
TicketException
TicketException
notice wxredis.push.requested "ticket push requested from WeChat: {outcome}" [event,outcome,reason,app_id,server,pid] requested
notice wxredis.push.requested "ticket push requested from WeChat: {outcome}" [event,outcome,reason,app_id,server,pid] already_requested
-- ticket stored
info wxredis.ticket.stored "component_verify_ticket stored: pushed {age} s ago, handled by {server}" [event,ticket,age,create_time,ttl,app_id,server,pid]
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
-- an older push after it: refused (older)
success
notice wxredis.ticket.refused "component_verify_ticket not stored: {why}" [event,ticket,why,age,create_time,app_id,server,pid] why=older age=~3600
-- a push older than the ticket's lifetime: refused (expired)
success
notice wxredis.ticket.refused "component_verify_ticket not stored: {why}" [event,ticket,why,age,create_time,app_id,server,pid] why=expired
-- a ticket for another platform: refused (foreign_app_id), CryptException for the caller
WxRedis\CryptException(-40005)
notice wxredis.ticket.refused "component_verify_ticket not stored: {why}" [event,ticket,why,age,create_time,app_id,server,pid] why=foreign_app_id
-- a push that does not verify: rejected
WxRedis\CryptException(-40001)
warning wxredis.push.rejected "push to the authorization-event URL rejected: {reason}" [event,code,reason,app_id,server,pid] code=-40001
bool(true)
-- setVerifyTicket() is logged as stored, undated
NULL
NULL
-- never a ticket or secret, static messages
array(0) {
}
bool(true)
