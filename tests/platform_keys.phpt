--TEST--
WxRedis\OpenPlatform writes exactly the keys of the one key table (WxRedis\Format::keys()): every key it leaves is described with its role and app ids, and has the TTL its policy says
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start();
$p = wx_platform($emu);                  // lock_timeout 10 s by default
$raw = wx_test_raw();
$pre = wx_test_prefix();
$seen = [];
$auth = 'wxkeys' . getmypid();       // refresh tokens live outside the prefix: one of our own
$look = function (string $key) use ($raw, $pre, &$seen) {
    if (isset($seen[$key])) return;
    $d = WxRedis\Format::describeKey($key, $pre);
    $pttl = (int) $raw->pttl($key);
    if ($pttl === -2) return;                // gone (a 1 s error hold)
    if ($d === null) { $seen[$key] = ['role' => '?', 'line' => 'NOT IN THE TABLE']; return; }
    $s = $d['ttl_seconds'] * 1000;
    $slack = 300000;                         // slow runs (valgrind); still tells 100 from 500, 6000 from 41400
    $ok = match ($d['ttl']) {
        'none' => $pttl === -1,
        'fixed', 'ticket' => $pttl > 0 && $pttl <= $s && $pttl > $s - $slack,
        'expires_in' => $pttl > 0 && $pttl <= 7200000 - $s && $pttl > 7200000 - $s - $slack,
        // a live lock: lock_timeout, held by a string owner; an error holds 1 s
        'lock' => $pttl > 0 && (str_starts_with((string) $raw->get($key), 's:') ? $pttl <= 10000 : $pttl <= $s),
    };
    $seen[$key] = ['role' => $d['role'], 'line' => sprintf('%-22s %s  component=%s authorizer=%s  %s ttl %s',
        $d['role'], str_replace($pre, '{prefix}', $key), $d['component_app_id'] ?? '-', $d['authorizer_app_id'] ?? '-',
        $d['ttl'], $ok ? 'as the table says' : "WRONG ($pttl ms)")];
};
$snapshot = function () use ($raw, $pre, $look, $auth) {
    foreach (array_merge($raw->keys($pre . '*'), $raw->keys('wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":$auth")) as $k) {
        $look($k);
    }
};
// a refresh held up by WeChat, so its lock can be seen held
$holdLock = function (string $path, string $lock, string $code) use ($emu, $raw, $look) {
    wx_emu_control($emu, 'hang', ['path' => $path, 'seconds' => 2, 'times' => 1]);
    $child = wx_platform_spawn(1, $code, $emu);
    $deadline = microtime(true) + 20;
    while (!$raw->exists($lock) && microtime(true) < $deadline) usleep(5000);
    $look($lock);
    wx_platform_wait($child);
};

try { $p->getComponentAccessToken(); } catch (WxRedis\TicketException) {}   // no ticket yet: a push is requested
$snapshot();
wx_platform_push_ticket($emu, $p);
$snapshot();
$p->getComponentAccessToken();
wx_platform_authorize($emu, $p, $auth);
$p->getAuthorizerAccessToken($auth);
$snapshot();
$raw->del($pre . 'open_platform.component_access_token.' . WX_PLATFORM_APPID);
$holdLock('/cgi-bin/component/api_component_token', wx_platform_lock_key(),
    '(new WxRedis\OpenPlatform($platformConfig, wx_test_cache()))->getComponentAccessToken();');
$refresh = $p->getAuthorizerRefreshToken($auth);
$raw->del($pre . "open-platform.authorizer_access_token.$auth." . md5($refresh), wx_platform_current_key($auth));
$holdLock('/cgi-bin/component/api_authorizer_token', wx_platform_lock_key($auth),
    '(new WxRedis\OpenPlatform($platformConfig, wx_test_cache()))->getAuthorizerAccessToken("' . $auth . '");');
$snapshot();
// issue 12's keys: the registry (above), an authorizer WeChat cannot give a refresh token for
try { $p->getAuthorizerAccessToken("wxnone$auth"); } catch (WxRedis\InvalidArgumentException) {}
$raw->zrem($pre . 'wxredis.authorizers.' . WX_PLATFORM_APPID, "wxnone$auth");
$raw->del($pre . 'wxredis.lock.authorizer_refresh_token.' . WX_PLATFORM_APPID . ".wxnone$auth");   // its 1 s error hold
// the keeper's pace, and clearQuota()'s interval
$raw->del($pre . "open-platform.authorizer_access_token.$auth." . md5($p->getAuthorizerRefreshToken($auth)), wx_platform_current_key($auth));
$raw->zadd($pre . 'wxredis.authorizers.' . WX_PLATFORM_APPID, '0', $auth);
$p->refreshDue();
$p->clearQuota();
$snapshot();
// a recovery held up by WeChat: one authorizer's, then the bulk one
$raw->del('wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":$auth", wx_platform_current_key($auth));
$holdLock('/cgi-bin/component/api_get_authorizer_info',
    $pre . 'wxredis.lock.authorizer_refresh_token.' . WX_PLATFORM_APPID . ".$auth",
    '(new WxRedis\OpenPlatform($platformConfig, wx_test_cache()))->getAuthorizerAccessToken("' . $auth . '");');
$holdLock('/cgi-bin/component/api_get_authorizer_list', $pre . 'wxredis.lock.recover_refresh_tokens.' . WX_PLATFORM_APPID,
    '(new WxRedis\OpenPlatform($platformConfig, wx_test_cache()))->recoverRefreshTokens();');
$snapshot();

$order = array_flip(array_unique(array_column(WxRedis\Format::keys(), 'role')));
uasort($seen, fn ($a, $b) => [$order[$a['role']] ?? 99, $a['line']] <=> [$order[$b['role']] ?? 99, $b['line']]);
foreach ($seen as $s) echo preg_replace(['/\.[0-9a-f]{32}\b/', '/(wxredis\.calls\.\S+)\.[0-9]+\b/'], ['.{md5}', '$1.{bucket}'], str_replace($auth, '{authorizer}', $s['line'])), "\n";
$written = array_unique(array_column(array_filter(WxRedis\Format::keys(), fn ($r) => $r['written']), 'role'));
$roles = array_unique(array_column($seen, 'role'));
echo "roles the table says wxredis writes: ", count($written), ", seen: ", count(array_intersect($written, $roles)),
    ", seen outside the table: ", count(array_diff($roles, $written)), "\n";
$raw->del('wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":$auth", 'wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":wxnone$auth");
wx_emu_stop($emu);
?>
--EXPECT--
ticket                 {prefix}open_platform.verify_ticket.wx0000000000component  component=wx0000000000component authorizer=-  ticket ttl as the table says
component_token        {prefix}open_platform.component_access_token.wx0000000000component  component=wx0000000000component authorizer=-  expires_in ttl as the table says
authorizer_token       {prefix}open-platform.authorizer_access_token.{authorizer}.{md5}  component=- authorizer={authorizer}  expires_in ttl as the table says
refresh_token          wxredis:authorizer_refresh_token:wx0000000000component:{authorizer}  component=wx0000000000component authorizer={authorizer}  none ttl as the table says
ticket_stored_at       {prefix}wxredis.verify_ticket_stored_at.wx0000000000component  component=wx0000000000component authorizer=-  fixed ttl as the table says
push_ticket_requested  {prefix}wxredis.push_ticket_requested.wx0000000000component  component=wx0000000000component authorizer=-  fixed ttl as the table says
component_lock         {prefix}wxredis.lock.component_access_token.wx0000000000component  component=wx0000000000component authorizer=-  lock ttl as the table says
authorizer_lock        {prefix}wxredis.lock.authorizer_access_token.wx0000000000component.{authorizer}  component=wx0000000000component authorizer={authorizer}  lock ttl as the table says
authorizer_token_current {prefix}wxredis.authorizer_access_token.wx0000000000component.{authorizer}  component=wx0000000000component authorizer={authorizer}  expires_in ttl as the table says
authorizer_registry    {prefix}wxredis.authorizers.wx0000000000component  component=wx0000000000component authorizer=-  none ttl as the table says
refresh_missing        {prefix}wxredis.refresh_missing.wx0000000000component  component=wx0000000000component authorizer=-  none ttl as the table says
ticket_push            {prefix}wxredis.verify_ticket_push.wx0000000000component  component=wx0000000000component authorizer=-  fixed ttl as the table says
last_refresh_error     {prefix}wxredis.last_refresh_error.wx0000000000component  component=wx0000000000component authorizer=-  fixed ttl as the table says
wechat_calls           {prefix}wxredis.calls.wx0000000000component.{bucket}  component=wx0000000000component authorizer=-  fixed ttl as the table says
fleet                  {prefix}wxredis.fleet.wx0000000000component  component=wx0000000000component authorizer=-  fixed ttl as the table says
recover_lock           {prefix}wxredis.lock.authorizer_refresh_token.wx0000000000component.{authorizer}  component=wx0000000000component authorizer={authorizer}  lock ttl as the table says
recover_all_lock       {prefix}wxredis.lock.recover_refresh_tokens.wx0000000000component  component=wx0000000000component authorizer=-  fixed ttl as the table says
keeper_pace            {prefix}wxredis.keeper_pace.wx0000000000component  component=wx0000000000component authorizer=-  fixed ttl as the table says
clear_quota            {prefix}wxredis.clear_quota.wx0000000000component  component=wx0000000000component authorizer=-  fixed ttl as the table says
roles the table says wxredis writes: 19, seen: 19, seen outside the table: 0
