--TEST--
WxRedis\OpenPlatform::handleCallback(): the newest ticket by CreateTime wins (compare-and-set, also between racing processes), AppId must be ours, an undated push gets 10 minutes
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
$key = wx_test_prefix() . 'open_platform.verify_ticket.' . WX_PLATFORM_APPID;

/* a validly signed component_verify_ticket push with these fields */
function ticket_push(array $emu, string $ticket, ?string $createTime, string $appId = WX_PLATFORM_APPID): array {
    $xml = '<xml><AppId><![CDATA[' . $appId . ']]></AppId>'
         . ($createTime === null ? '' : "<CreateTime>$createTime</CreateTime>")
         . '<InfoType><![CDATA[component_verify_ticket]]></InfoType>'
         . "<ComponentVerifyTicket><![CDATA[$ticket]]></ComponentVerifyTicket></xml>";
    return wx_emu_control($emu, 'push_event', ['xml' => $xml]);
}
function handle(WxRedis\OpenPlatform $p, array $push): void {
    try {
        echo $p->handleCallback($push['query'], $push['body']), "\n";
    } catch (WxRedis\Exception $e) {
        echo get_class($e), '(', $e->getCode(), '): ', $e->getMessage(), "\n";
    }
}

echo "-- an hour-old push delivered after a fresh one does not replace it\n";
handle($p, ticket_push($emu, 'ticket@@@fresh', (string) time()));
handle($p, ticket_push($emu, 'ticket@@@hour-old', (string) (time() - 3600)));
var_dump($p->getVerifyTicket(), $raw->ttl($key) > 41390);
echo "-- a newer one does\n";
$raw->expire($key, 30000);   // as if the fresh one had come 3 h ago
handle($p, ticket_push($emu, 'ticket@@@newer', (string) (time() - 60)));
var_dump($p->getVerifyTicket(), abs($raw->ttl($key) - 41340) <= 2);

echo "-- two processes racing: pushes of different ages, the newest stays\n";
$raw->del($key);
$pushes = [];
for ($i = 0; $i < 6; $i++) {
    $pushes[] = ticket_push($emu, "ticket@@@age$i", (string) (time() - 600 * $i));
}
$code = '$p = new WxRedis\OpenPlatform($platformConfig, wx_test_cache());'
      . '$pushes = ' . var_export($pushes, true) . ';'
      . 'if (getenv("WX_ORDER_REVERSE")) $pushes = array_reverse($pushes);'
      . 'for ($n = 0; $n < 15; $n++) foreach ($pushes as $push) $p->handleCallback($push["query"], $push["body"]);'
      . 'echo "done";';
putenv('WX_ORDER_REVERSE=');
$a = wx_platform_spawn(1, $code, $emu);
putenv('WX_ORDER_REVERSE=1');
$b = wx_platform_spawn(1, $code, $emu);
putenv('WX_ORDER_REVERSE');
echo json_encode(wx_platform_wait(array_merge($a, $b))), "\n";
var_dump($p->getVerifyTicket(), $raw->ttl($key) > 41300);

echo "-- the payload's AppId must be ours (-40005), nothing is stored\n";
handle($p, ticket_push($emu, 'ticket@@@other', (string) time(), 'wx00000000000someone'));
$noAppId = wx_emu_control($emu, 'push_event', ['xml' => '<xml><CreateTime>' . time() . '</CreateTime>'
    . '<InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>ticket@@@anon</ComponentVerifyTicket></xml>']);
handle($p, $noAppId);
$unauth = wx_emu_control($emu, 'push_event', ['xml' => '<xml><AppId>wx00000000000someone</AppId><CreateTime>' . time()
    . '</CreateTime><InfoType>unauthorized</InfoType><AuthorizerAppid>wxA</AuthorizerAppid></xml>']);
handle($p, $unauth);
var_dump($p->getVerifyTicket());

echo "-- without a usable CreateTime: 10 minutes, and never over a dated ticket\n";
foreach (['missing' => null, 'garbage' => 'yesterday', 'negative' => '-5', 'in a day' => (string) (time() + 86400)] as $what => $ct) {
    handle($p, ticket_push($emu, "ticket@@@undated", $ct));
    echo "$what, over a fresh ticket: ", $p->getVerifyTicket(), "\n";
    $raw->del($key);
    handle($p, ticket_push($emu, "ticket@@@undated", $ct));
    $ttl = $raw->ttl($key);
    echo "$what, alone: ", $p->getVerifyTicket(), ' ', var_export($ttl > 590 && $ttl <= 600, true), "\n";
    handle($p, ticket_push($emu, 'ticket@@@newest', (string) time()));
}
echo "-- older than the ticket's lifetime: not stored\n";
$raw->del($key);
handle($p, ticket_push($emu, 'ticket@@@ancient', (string) (time() - 50000)));
var_dump($raw->exists($key));
?>
--EXPECT--
-- an hour-old push delivered after a fresh one does not replace it
success
success
string(14) "ticket@@@fresh"
bool(true)
-- a newer one does
success
string(14) "ticket@@@newer"
bool(true)
-- two processes racing: pushes of different ages, the newest stays
["done","done"]
string(13) "ticket@@@age0"
bool(true)
-- the payload's AppId must be ours (-40005), nothing is stored
WxRedis\CryptException(-40005): push for AppId "wx00000000000someone", not this platform's component app id "wx0000000000component": nothing was stored
WxRedis\CryptException(-40005): component_verify_ticket push without <AppId> (this platform's component app id is "wx0000000000component"): nothing was stored
WxRedis\CryptException(-40005): push for AppId "wx00000000000someone", not this platform's component app id "wx0000000000component": nothing was stored
string(13) "ticket@@@age0"
-- without a usable CreateTime: 10 minutes, and never over a dated ticket
success
missing, over a fresh ticket: ticket@@@age0
success
missing, alone: ticket@@@undated true
success
success
garbage, over a fresh ticket: ticket@@@newest
success
garbage, alone: ticket@@@undated true
success
success
negative, over a fresh ticket: ticket@@@newest
success
negative, alone: ticket@@@undated true
success
success
in a day, over a fresh ticket: ticket@@@newest
success
in a day, alone: ticket@@@undated true
success
-- older than the ticket's lifetime: not stored
success
int(0)
