--TEST--
WxRedis\OpenPlatform and EasyWeChat 6 share one Redis: same keys, same bytes, same TTLs; each uses what the other stored
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';

/**
 * What EasyWeChat 6 (w7corp/easywechat 6.x, OpenPlatform) does with its
 * PSR-16 cache, step by step (see shared/reference/easywechat-compat.md):
 * VerifyTicket, ComponentAccessToken and getAuthorizerAccessToken().
 */
final class EasyWeChat6
{
    public int $calls = 0;
    public function __construct(private array $emu, private Psr\SimpleCache\CacheInterface|WxRedis\Cache $cache, private string $appId) {}

    public function setTicket(string $ticket): void
    {
        $this->cache->set("open_platform.verify_ticket.{$this->appId}", $ticket, 6000);
    }

    public function getTicket(): string
    {
        $ticket = $this->cache->get("open_platform.verify_ticket.{$this->appId}");
        if (!$ticket || !is_string($ticket)) {
            throw new RuntimeException('No component_verify_ticket found.');
        }
        return $ticket;
    }

    public function getComponentAccessToken(): string
    {
        $key = "open_platform.component_access_token.{$this->appId}";
        $token = $this->cache->get($key);
        if ($token && is_string($token)) {
            return $token;
        }
        $this->calls++;
        $r = wx_emu_api($this->emu, '/cgi-bin/component/api_component_token', ['component_appid' => $this->appId,
            'component_appsecret' => 'emu-secret', 'component_verify_ticket' => $this->getTicket()]);
        $this->cache->set($key, $r['component_access_token'], intval($r['expires_in']) - 100);
        return $r['component_access_token'];
    }

    public function getAuthorizerAccessToken(string $appId, string $refreshToken): string
    {
        $key = sprintf('open-platform.authorizer_access_token.%s.%s', $appId, md5($refreshToken));
        $token = $this->cache->get($key);
        if ($token && is_string($token)) {
            return $token;
        }
        $this->calls++;
        $r = wx_emu_api($this->emu, '/cgi-bin/component/api_authorizer_token', ['component_appid' => $this->appId,
            'authorizer_appid' => $appId, 'authorizer_refresh_token' => $refreshToken],
            ['component_access_token' => $this->getComponentAccessToken()]);
        $this->cache->set($key, $r['authorizer_access_token'], intval($r['expires_in'] ?? 7200) - 500);
        return $r['authorizer_access_token'];
    }
}

$emu = wx_emu_start();
$cache = wx_test_cache();                  // both use the same WxRedis\Cache set-up (prefix)
$ewc = new EasyWeChat6($emu, $cache, WX_PLATFORM_APPID);
$p = wx_platform($emu, [], wx_test_cache());
$raw = wx_test_raw();
$pre = wx_test_prefix();
$calls = fn (string $api) => wx_emu_calls($emu, "/cgi-bin/component/$api");

echo "-- a ticket stored by EasyWeChat is used by the manager\n";
$push = wx_emu_control($emu, 'push_ticket');
$ewc->setTicket($push['ticket']);
var_dump($p->getVerifyTicket() === $push['ticket']);
$token = $p->getComponentAccessToken();
$log = wx_emu_control($emu, 'log', ['path' => '/cgi-bin/component/api_component_token']);
var_dump($log[0]['body']['component_verify_ticket'] === $push['ticket']);
echo "-- and the other way round\n";
$push2 = wx_emu_control($emu, 'push_ticket');
$p->handleCallback($push2['query'], $push2['body']);
var_dump($ewc->getTicket() === $push2['ticket']);

echo "-- the manager's component token is EasyWeChat's\n";
var_dump($ewc->getComponentAccessToken() === $token, $ewc->calls);
echo "-- a component token EasyWeChat refreshed is the manager's\n";
$ewc->calls = 0;
$cache->delete('open_platform.component_access_token.' . WX_PLATFORM_APPID);
$byEwc = $ewc->getComponentAccessToken();
$before = $calls('api_component_token');
var_dump($ewc->calls, $p->getComponentAccessToken() === $byEwc, $calls('api_component_token') - $before);

echo "-- authorizer tokens, both ways\n";
$ewc->calls = 0;
wx_platform_authorize($emu, $p, 'wxauthorizer0003');
$refresh = $p->getAuthorizerRefreshToken('wxauthorizer0003');   // export for EasyWeChat's caller
$atoken = $p->getAuthorizerAccessToken('wxauthorizer0003');
var_dump($ewc->getAuthorizerAccessToken('wxauthorizer0003', $refresh) === $atoken, $ewc->calls);
$cache->delete('open-platform.authorizer_access_token.wxauthorizer0003.' . md5($refresh));
$byEwc = $ewc->getAuthorizerAccessToken('wxauthorizer0003', $refresh);
$before = $calls('api_authorizer_token');
// the manager keeps serving its own copy (one round trip, still valid) ...
var_dump($ewc->calls, $p->getAuthorizerAccessToken('wxauthorizer0003') === $atoken, $calls('api_authorizer_token') - $before);
// ... and once that copy is gone (expired, or rejected and invalidated) it
// takes the token EasyWeChat refreshed, without calling WeChat
var_dump($p->invalidateAuthorizerAccessToken('wxauthorizer0003', $atoken));
var_dump($p->getAuthorizerAccessToken('wxauthorizer0003') === $byEwc, $calls('api_authorizer_token') - $before);
var_dump($raw->get($pre . 'wxredis.authorizer_access_token.' . WX_PLATFORM_APPID . '.wxauthorizer0003') === serialize($byEwc));

echo "-- the manager's own refresh writes what EasyWeChat reads\n";
$ewc->calls = 0;
// both keys expire together (one lifetime, written by one refresh)
$cache->delete('open-platform.authorizer_access_token.wxauthorizer0003.' . md5($refresh));
$cache->delete('wxredis.authorizer_access_token.' . WX_PLATFORM_APPID . '.wxauthorizer0003');
$mine = $p->getAuthorizerAccessToken('wxauthorizer0003');
var_dump($ewc->getAuthorizerAccessToken('wxauthorizer0003', $p->getAuthorizerRefreshToken('wxauthorizer0003')) === $mine, $ewc->calls);

echo "-- the bytes in Redis\n";
$keys = $raw->keys($pre . '*');
sort($keys);
foreach ($keys as $k) {
    // wxredis's own fleet records (health(): tests/platform_health.phpt) are not EasyWeChat's business
    if (in_array(WxRedis\Format::describeKey($k, $pre)['role'] ?? null, ['ticket_push', 'wechat_calls', 'fleet', 'last_refresh_error'], true)) continue;
    if (($type = $raw->type($k)) !== 'string') {     // wxredis's registry: a sorted set EasyWeChat never reads
        printf("%s  a %s of %d\n", str_replace($pre, '{prefix}', $k), $type, $raw->zcard($k));
        continue;
    }
    $v = $raw->get($k);
    printf("%s  %s  ttl %s\n", str_replace([$pre, md5($refresh)], ['{prefix}', '{md5}'], $k),
        preg_replace('/^s:(\d+):".*";$/s', 's:$1:"..."', $v), ($ttl = $raw->ttl($k)) > 10000 ? '~' . round($ttl, -2) : wx_platform_ttl($ttl, $ttl > 7000 ? 7100 : 6700));
}
var_dump($raw->get($pre . 'open_platform.verify_ticket.' . WX_PLATFORM_APPID) === 's:' . strlen($push2['ticket']) . ':"' . $push2['ticket'] . '";');
var_dump($raw->get($pre . 'open_platform.component_access_token.' . WX_PLATFORM_APPID) === serialize($p->getComponentAccessToken()));
echo "-- outside the prefix\n";
$k = 'wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ':wxauthorizer0003';
var_dump($raw->get($k) === serialize($refresh), $raw->ttl($k));
wx_emu_stop($emu);
?>
--EXPECTF--
-- a ticket stored by EasyWeChat is used by the manager
bool(true)
bool(true)
-- and the other way round
bool(true)
-- the manager's component token is EasyWeChat's
bool(true)
int(0)
-- a component token EasyWeChat refreshed is the manager's
int(1)
bool(true)
int(0)
-- authorizer tokens, both ways
bool(true)
int(0)
int(1)
bool(true)
int(0)
bool(true)
bool(true)
int(0)
bool(true)
-- the manager's own refresh writes what EasyWeChat reads
bool(true)
int(0)
-- the bytes in Redis
{prefix}open-platform.authorizer_access_token.wxauthorizer0003.{md5}  s:133:"..."  ttl 6700
{prefix}open_platform.component_access_token.wx0000000000component  s:133:"..."  ttl 7100
{prefix}open_platform.verify_ticket.wx0000000000component  s:95:"..."  ttl ~41400
{prefix}wxredis.authorizer_access_token.wx0000000000component.wxauthorizer0003  s:133:"..."  ttl 6700
{prefix}wxredis.authorizers.wx0000000000component  a zset of 1
{prefix}wxredis.verify_ticket_stored_at.wx0000000000component  i:%d;  ttl ~2592000
bool(true)
bool(true)
-- outside the prefix
bool(true)
int(-1)
