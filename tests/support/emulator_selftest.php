<?php
/*
 * Self-test of the WeChat API emulator: starts it, exercises every endpoint,
 * error path and control operation, and hammers api_component_token from 32
 * processes at once to check that no call count is lost.
 *
 *   php tests/support/emulator_selftest.php            # 4 workers
 *   PHP_CLI_SERVER_WORKERS=1 php tests/support/emulator_selftest.php
 *
 * Prints TAP (ok N - ... / not ok N - ..., plan last); exit code 0 or 1.
 * Pushes are checked with a decryption written here, independent of the
 * emulator's, and that decryption is itself checked on Tencent's public vector.
 */

declare(strict_types=1);

require __DIR__ . '/emulator.inc';

const TOKEN_API = '/cgi-bin/component/api_component_token';
const PREAUTH_API = '/cgi-bin/component/api_create_preauthcode';
const QUERY_AUTH_API = '/cgi-bin/component/api_query_auth';
const AUTHORIZER_TOKEN_API = '/cgi-bin/component/api_authorizer_token';
const AUTHORIZER_INFO_API = '/cgi-bin/component/api_get_authorizer_info';
const START_PUSH_API = '/cgi-bin/component/api_start_push_ticket';
const QUOTA_API = '/cgi-bin/openapi/quota/get';
const LIST_API = '/cgi-bin/component/api_get_authorizer_list';
const COMPONENT_CLEAR_API = '/cgi-bin/component/clear_quota/v2';
const CLEAR_V2_API = '/cgi-bin/clear_quota/v2';
const CLEAR_V1_API = '/cgi-bin/clear_quota';

$tap = ['n' => 0, 'failed' => 0];

function ok(bool $cond, string $name, mixed $diag = null): bool
{
    global $tap;
    $tap['n']++;
    echo ($cond ? 'ok ' : 'not ok ') . $tap['n'] . " - $name\n";
    if (!$cond) {
        $tap['failed']++;
        if ($diag !== null) {
            $text = is_string($diag) ? $diag : json_encode($diag, JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT);
            echo preg_replace('/^/m', '# ', $text), "\n";
        }
    }
    return $cond;
}

function is_err(array $answer, int $errcode, string $name): bool
{
    $good = ($answer['errcode'] ?? null) === $errcode && is_string($answer['errmsg'] ?? null)
        && preg_match('/ rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/', $answer['errmsg']);
    return ok((bool) $good, "$name: errcode $errcode", $answer);
}

function skip(string $name, string $why): void
{
    global $tap;
    $tap['n']++;
    echo "ok {$tap['n']} - $name # SKIP $why\n";
}

// ---- an independent WXBizMsgCrypt check (decrypt + signatures)

function st_decrypt(string $encrypt, string $aesKey, ?string &$appId): ?string
{
    $key = base64_decode($aesKey . '=', true);
    $plain = openssl_decrypt((string) base64_decode($encrypt, true), 'aes-256-cbc', $key,
        OPENSSL_RAW_DATA | OPENSSL_ZERO_PADDING, substr($key, 0, 16));
    if ($plain === false || $plain === '') {
        return null;
    }
    $pad = ord(substr($plain, -1));
    if ($pad < 1 || $pad > 32 || substr($plain, -$pad) !== str_repeat(chr($pad), $pad)) {
        return null;
    }
    $plain = substr($plain, 16, -$pad);                   // drop the random prefix and the padding
    $len = unpack('N', substr($plain, 0, 4))[1];
    $appId = substr($plain, 4 + $len);
    return substr($plain, 4, $len);
}

function st_sha1_sorted(string ...$parts): string
{
    sort($parts, SORT_STRING);
    return sha1(implode('', $parts));
}

function st_xml(string $xml, string $name): ?string
{
    return preg_match("#<$name>(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))</$name>#s", $xml, $m)
        ? ($m[1] !== '' ? $m[1] : ($m[2] ?? '')) : null;
}

/** Checks a push as a callback would and returns its decrypted XML (or null). */
function check_push(array $push, array $cfg, string $name): ?string
{
    $q = $push['query'];
    ok(($q['encrypt_type'] ?? null) === 'aes' && isset($q['timestamp'], $q['nonce'], $q['msg_signature'], $q['signature']),
        "$name: query has timestamp, nonce, msg_signature, encrypt_type=aes, signature", $q);
    ok($q['signature'] === st_sha1_sorted($cfg['token'], $q['timestamp'], $q['nonce']),
        "$name: plain signature is sha1 of sorted token, timestamp, nonce");
    $encrypt = st_xml($push['body'], 'Encrypt');
    ok(st_xml($push['body'], 'AppId') === $cfg['component_appid'] && $encrypt !== null
        && st_xml($push['body'], 'ToUserName') === null, "$name: body carries AppId and Encrypt, no ToUserName", $push['body']);
    ok($q['msg_signature'] === st_sha1_sorted($cfg['token'], $q['timestamp'], $q['nonce'], (string) $encrypt),
        "$name: msg_signature is sha1 of sorted token, timestamp, nonce, Encrypt");
    $plain = st_decrypt((string) $encrypt, $cfg['encoding_aes_key'], $appId);
    ok($plain !== null && $plain === $push['plaintext'] && $appId === $cfg['component_appid'],
        "$name: Encrypt decrypts to the plaintext, with our appid appended", [$plain, $appId]);
    return $plain;
}

// ---- the test

// A fatal error must still show up as a failure to whoever counts TAP lines.
register_shutdown_function(function () {
    global $tap;
    if (empty($tap['done'])) {
        ok(false, 'the self-test died before its end');
        echo "1..{$tap['n']}\n";             // no exit(): later shutdown functions stop the emulator
    }
});

$workers = (int) (getenv('PHP_CLI_SERVER_WORKERS') ?: 4);
$emu = null;
try {
    // The checker checks itself first, on Tencent's published vector.
    $vector = 'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=';
    $plain = st_decrypt($vector, 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', $appId);
    ok(strlen((string) $plain) === 280 && st_xml((string) $plain, 'Content') === 'abcdteT' && $appId === 'wx2c2769f8efd9abc2'
        && st_sha1_sorted('spamtest', '1409735669', '1320562132', $vector) === '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
        'the self-test decryption reproduces Tencent\'s public vector');

    $emu = wx_emu_start(['workers' => $workers]);
    ok(preg_match('#^http://127\.0\.0\.1:\d+$#', $emu['base']) === 1 && $emu['pid'] > 0, "emulator started at {$emu['base']} with $workers worker(s)");
    $cfg = wx_emu_control($emu, 'config')['config'];
    ok($cfg['component_appid'] === 'wx0000000000component' && $cfg['component_appsecret'] === 'emu-secret'
        && $cfg['token'] === 'emu-token' && $cfg['encoding_aes_key'] === 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
        && $cfg['expires_in'] === 7200 && $cfg['grace'] === 300 && $cfg['rotate_refresh_token'] === false,
        'default config', $cfg);

    // ---- push_ticket
    $push = wx_emu_control($emu, 'push_ticket');
    $xml = check_push($push, $cfg, 'push_ticket');
    ok(str_starts_with($push['ticket'], 'ticket@@@') && st_xml((string) $xml, 'ComponentVerifyTicket') === $push['ticket']
        && st_xml((string) $xml, 'InfoType') === 'component_verify_ticket' && st_xml((string) $xml, 'AppId') === $cfg['component_appid']
        && ctype_digit((string) st_xml((string) $xml, 'CreateTime')), 'push_ticket: plaintext carries the ticket', $xml);
    $bare = wx_emu_control($emu, 'push_ticket', ['cdata' => false]);
    ok(!str_contains($bare['plaintext'], 'CDATA') && st_xml($bare['plaintext'], 'ComponentVerifyTicket') === $bare['ticket'],
        'push_ticket cdata:false: values without CDATA', $bare['plaintext']);
    $ticket = $push['ticket'];
    $cred = ['component_appid' => $cfg['component_appid'], 'component_appsecret' => 'emu-secret', 'component_verify_ticket' => $ticket];

    // ---- api_component_token
    $a = wx_emu_api($emu, TOKEN_API, $cred);
    ok(is_string($a['component_access_token'] ?? null) && strlen($a['component_access_token']) > 32 && $a['expires_in'] === 7200
        && !isset($a['errcode']), 'api_component_token: token and expires_in 7200', $a);
    $b = wx_emu_api($emu, TOKEN_API, ['component_verify_ticket' => $bare['ticket']] + $cred);
    ok(($b['component_access_token'] ?? '') !== '' && $b['component_access_token'] !== $a['component_access_token'],
        'api_component_token: an older ticket still works and each token is new', $b);
    is_err(wx_emu_api($emu, TOKEN_API, ['component_appsecret' => 'wrong'] + $cred), 40125, 'wrong appsecret');
    is_err(wx_emu_api($emu, TOKEN_API, ['component_appid' => 'wxnotours'] + $cred), 40013, 'wrong component_appid');
    is_err(wx_emu_api($emu, TOKEN_API, array_diff_key($cred, ['component_appid' => 1])), 41002, 'missing component_appid');
    is_err(wx_emu_api($emu, TOKEN_API, array_diff_key($cred, ['component_appsecret' => 1])), 41004, 'missing component_appsecret');
    is_err(wx_emu_api($emu, TOKEN_API, ['component_verify_ticket' => 'ticket@@@never-issued'] + $cred), 61006, 'unknown ticket');
    is_err(wx_emu_api($emu, TOKEN_API, ['component_verify_ticket' => 12345] + $cred), 47001, 'ticket of the wrong JSON type');
    $r = wx_emu_http('GET', $emu['base'] . TOKEN_API);
    is_err(json_decode($r['body'], true) ?? [], 43002, 'GET instead of POST');
    $r = wx_emu_http('POST', $emu['base'] . TOKEN_API, '{"component_appid": ');
    is_err(json_decode($r['body'], true) ?? [], 47001, 'malformed JSON');
    $r = wx_emu_http('POST', $emu['base'] . TOKEN_API, '["a","b"]');
    is_err(json_decode($r['body'], true) ?? [], 47001, 'a JSON list instead of an object');
    $r = wx_emu_http('POST', $emu['base'] . TOKEN_API, '');
    is_err(json_decode($r['body'], true) ?? [], 44002, 'empty body');
    ok(str_starts_with((string) wx_emu_api($emu, TOKEN_API, ['component_appsecret' => 'x'] + $cred)['errmsg'], 'invalid appsecret rid: '),
        'errmsg reads like WeChat\'s ("invalid appsecret rid: ...")');
    $aged = wx_emu_control($emu, 'age_ticket', ['ticket' => $ticket, 'seconds' => 43201]);
    ok($aged['ticket'] === $ticket && $aged['age'] >= 43201, 'age_ticket', $aged);
    is_err(wx_emu_api($emu, TOKEN_API, $cred), 61005, 'ticket older than 12 h');
    wx_emu_control($emu, 'config', ['only_latest_ticket' => true]);
    $latest = wx_emu_control($emu, 'push_ticket')['ticket'];
    is_err(wx_emu_api($emu, TOKEN_API, ['component_verify_ticket' => $bare['ticket']] + $cred), 61006, 'only_latest_ticket: an older ticket');
    wx_emu_control($emu, 'config', ['only_latest_ticket' => false, 'expires_in' => 3600]);
    $cred['component_verify_ticket'] = $latest;
    $c = wx_emu_api($emu, TOKEN_API, $cred);
    ok(($c['expires_in'] ?? null) === 3600, 'config expires_in is what the token API returns', $c);
    wx_emu_control($emu, 'config', ['expires_in' => 7200]);

    // ---- token validity: current, previous within grace, older, expired, unknown
    $app = ['component_appid' => $cfg['component_appid']];
    $preauth = fn (string $tok) => wx_emu_api($emu, PREAUTH_API, $app, ['component_access_token' => $tok]);
    $t1 = wx_emu_api($emu, TOKEN_API, $cred)['component_access_token'];
    $t2 = wx_emu_api($emu, TOKEN_API, $cred)['component_access_token'];
    $p = $preauth($t1);
    ok(str_starts_with($p['pre_auth_code'] ?? '', 'preauthcode@@@') && $p['expires_in'] === 600,
        'the previous token still works within the grace period', $p);
    ok(isset($preauth($t2)['pre_auth_code']), 'the current token works');
    $t3 = wx_emu_api($emu, TOKEN_API, $cred)['component_access_token'];
    is_err($preauth($t1), 40001, 'the token before the previous one ("not latest")');
    ok(isset($preauth($t2)['pre_auth_code']), 'the new previous token works');
    wx_emu_control($emu, 'config', ['grace' => 0]);
    $t4 = wx_emu_api($emu, TOKEN_API, $cred)['component_access_token'];
    is_err($preauth($t3), 40001, 'grace 0: the previous token stops at once');
    wx_emu_control($emu, 'config', ['grace' => 300]);
    $exp = wx_emu_control($emu, 'expire_token', ['token' => $t4]);
    ok($exp['owner'] === 'component', 'expire_token', $exp);
    is_err($preauth($t4), 42001, 'an expired component token');
    is_err($preauth('80_not-a-token'), 40001, 'an unknown component token');
    is_err(wx_emu_api($emu, PREAUTH_API, $app), 41001, 'no token in the query');
    wx_emu_control($emu, 'config', ['expires_in' => 1]);
    $short = wx_emu_api($emu, TOKEN_API, $cred)['component_access_token'];
    usleep(1100000);
    is_err($preauth($short), 42001, 'a token past its expires_in');
    wx_emu_control($emu, 'config', ['expires_in' => 7200]);
    $cat = wx_emu_api($emu, TOKEN_API, $cred)['component_access_token'];
    $q = ['component_access_token' => $cat];

    // ---- api_create_preauthcode
    ok(isset(wx_emu_api($emu, PREAUTH_API, $app, ['access_token' => $cat])['pre_auth_code']),
        'api_create_preauthcode: the token may also come as access_token (newer docs)');
    is_err(wx_emu_api($emu, PREAUTH_API, ['component_appid' => 'wxother'], $q), 61011, 'api_create_preauthcode: another component_appid');
    is_err(wx_emu_api($emu, PREAUTH_API, [], $q), 41002, 'api_create_preauthcode: no component_appid');
    $pre = wx_emu_api($emu, PREAUTH_API, $app, $q)['pre_auth_code'];

    // ---- authorize (authorized) + api_query_auth
    $auth = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxauthorizer0001', 'info_type' => 'authorized', 'pre_auth_code' => $pre]);
    $xml = (string) check_push($auth, $cfg, 'authorize authorized');
    ok(st_xml($xml, 'InfoType') === 'authorized' && st_xml($xml, 'AuthorizerAppid') === 'wxauthorizer0001'
        && st_xml($xml, 'AuthorizationCode') === $auth['authorization_code'] && st_xml($xml, 'PreAuthCode') === $pre
        && (int) st_xml($xml, 'AuthorizationCodeExpiredTime') > time(), 'authorize: the push carries the code, its expiry and the pre_auth_code', $xml);
    $qa = wx_emu_api($emu, QUERY_AUTH_API, $app + ['authorization_code' => $auth['authorization_code']], $q);
    $info = $qa['authorization_info'] ?? [];
    ok(($info['authorizer_appid'] ?? '') === 'wxauthorizer0001' && strlen($info['authorizer_access_token'] ?? '') > 32
        && ($info['expires_in'] ?? 0) === 7200 && str_starts_with($info['authorizer_refresh_token'] ?? '', 'refreshtoken@@@')
        && ($info['func_info'][0]['funcscope_category']['id'] ?? null) === 1, 'api_query_auth: authorization_info', $qa);
    $refresh = $info['authorizer_refresh_token'] ?? '';
    $atok = $info['authorizer_access_token'] ?? '';
    is_err(wx_emu_api($emu, QUERY_AUTH_API, $app + ['authorization_code' => $auth['authorization_code']], $q), 61010, 'api_query_auth: a used code');
    is_err(wx_emu_api($emu, QUERY_AUTH_API, $app + ['authorization_code' => 'queryauthcode@@@nope'], $q), 61009, 'api_query_auth: an unknown code');
    is_err(wx_emu_api($emu, QUERY_AUTH_API, $app, $q), 61009, 'api_query_auth: no code');
    is_err(wx_emu_api($emu, QUERY_AUTH_API, $app + ['authorization_code' => $auth['authorization_code']], ['component_access_token' => $t4]),
        42001, 'api_query_auth: an expired component token');
    $auth2 = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxauthorizer0002', 'func_info' => [1, 2]]);
    wx_emu_control($emu, 'expire_code', ['code' => $auth2['authorization_code']]);
    is_err(wx_emu_api($emu, QUERY_AUTH_API, $app + ['authorization_code' => $auth2['authorization_code']], $q), 61010, 'api_query_auth: an expired code');
    wx_emu_control($emu, 'expire_code', ['code' => $pre]);
    try {
        wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxauthorizer0001', 'pre_auth_code' => $pre]);
        ok(false, 'authorize refuses an expired pre_auth_code');
    } catch (RuntimeException $e) {
        ok(str_contains($e->getMessage(), 'HTTP 400'), 'authorize refuses an expired pre_auth_code', $e->getMessage());
    }

    // ---- api_authorizer_token
    $body = $app + ['authorizer_appid' => 'wxauthorizer0001', 'authorizer_refresh_token' => $refresh];
    $at = wx_emu_api($emu, AUTHORIZER_TOKEN_API, $body, $q);
    ok(strlen($at['authorizer_access_token'] ?? '') > 32 && $at['authorizer_access_token'] !== $atok && $at['expires_in'] === 7200
        && $at['authorizer_refresh_token'] === $refresh, 'api_authorizer_token: new access token, same refresh token (no rotation)', $at);
    $quotaOf = fn (string $tok) => wx_emu_api($emu, QUOTA_API, ['cgi_path' => TOKEN_API], ['access_token' => $tok]);
    ok(($quotaOf($atok)['errcode'] ?? null) === 0 && ($quotaOf($at['authorizer_access_token'])['errcode'] ?? null) === 0,
        'authorizer tokens: the current and the previous one are accepted');
    is_err(wx_emu_api($emu, AUTHORIZER_TOKEN_API, ['authorizer_refresh_token' => 'refreshtoken@@@bad'] + $body, $q), 61023, 'api_authorizer_token: a wrong refresh token');
    is_err(wx_emu_api($emu, AUTHORIZER_TOKEN_API, ['authorizer_appid' => 'wxstranger'] + $body, $q), 61003, 'api_authorizer_token: an account that never authorized');
    is_err(wx_emu_api($emu, AUTHORIZER_TOKEN_API, ['authorizer_appid' => 'wxauthorizer0002'] + $body, $q), 61023, 'api_authorizer_token: an account whose code was never exchanged');
    is_err(wx_emu_api($emu, AUTHORIZER_TOKEN_API, ['component_appid' => 'wxother'] + $body, $q), 61011, 'api_authorizer_token: another component_appid');
    wx_emu_control($emu, 'expire_token', ['authorizer_appid' => 'wxauthorizer0001']);
    is_err($quotaOf($at['authorizer_access_token']), 42001, 'expire_token {authorizer_appid}: the authorizer token expires');
    wx_emu_control($emu, 'config', ['rotate_refresh_token' => true]);
    $rot = wx_emu_api($emu, AUTHORIZER_TOKEN_API, $body, $q);
    ok(str_starts_with($rot['authorizer_refresh_token'] ?? '', 'refreshtoken@@@') && $rot['authorizer_refresh_token'] !== $refresh,
        'rotate_refresh_token: the refresh answer carries a new refresh token', $rot);
    is_err(wx_emu_api($emu, AUTHORIZER_TOKEN_API, $body, $q), 61023, 'rotate_refresh_token: the old refresh token stops working');
    $body['authorizer_refresh_token'] = $rot['authorizer_refresh_token'];
    $rot2 = wx_emu_api($emu, AUTHORIZER_TOKEN_API, $body, $q);
    ok(isset($rot2['authorizer_access_token']) && $rot2['authorizer_refresh_token'] !== $body['authorizer_refresh_token'],
        'rotate_refresh_token: the new one works and rotates again', $rot2);
    $body['authorizer_refresh_token'] = $rot2['authorizer_refresh_token'];
    wx_emu_control($emu, 'config', ['rotate_refresh_token' => false]);

    // ---- updateauthorized: a re-authorization hands out a new refresh token
    $upd = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxauthorizer0001', 'info_type' => 'updateauthorized']);
    $xml = (string) check_push($upd, $cfg, 'authorize updateauthorized');
    ok(st_xml($xml, 'InfoType') === 'updateauthorized' && st_xml($xml, 'AuthorizationCode') === $upd['authorization_code'],
        'updateauthorized push carries a new code', $xml);
    ok(isset(wx_emu_api($emu, AUTHORIZER_TOKEN_API, $body, $q)['authorizer_access_token']),
        'updateauthorized: the refresh token works until the new code is exchanged');
    $qa2 = wx_emu_api($emu, QUERY_AUTH_API, $app + ['authorization_code' => $upd['authorization_code']], $q);
    $newRefresh = $qa2['authorization_info']['authorizer_refresh_token'] ?? '';
    ok($newRefresh !== '' && $newRefresh !== $body['authorizer_refresh_token'], 'updateauthorized: api_query_auth returns a new refresh token', $qa2);
    is_err(wx_emu_api($emu, AUTHORIZER_TOKEN_API, $body, $q), 61023, 'updateauthorized: the old refresh token stops working');
    $body['authorizer_refresh_token'] = $newRefresh;

    // ---- api_get_authorizer_info
    $gi = wx_emu_api($emu, AUTHORIZER_INFO_API, $app + ['authorizer_appid' => 'wxauthorizer0001'], $q);
    ok(isset($gi['authorizer_info']['nick_name'], $gi['authorizer_info']['user_name'], $gi['authorizer_info']['service_type_info']['id'])
        && ($gi['authorization_info']['authorizer_appid'] ?? '') === 'wxauthorizer0001'
        && ($gi['authorization_info']['authorizer_refresh_token'] ?? '') === $newRefresh
        && is_array($gi['authorization_info']['func_info'] ?? null), 'api_get_authorizer_info: authorizer_info and authorization_info', $gi);
    is_err(wx_emu_api($emu, AUTHORIZER_INFO_API, $app + ['authorizer_appid' => 'wxstranger'], $q), 61003, 'api_get_authorizer_info: an unknown account');
    is_err(wx_emu_api($emu, AUTHORIZER_INFO_API, $app, $q), 41002, 'api_get_authorizer_info: no authorizer_appid');
    $infoBody = $app + ['authorizer_appid' => 'wxauthorizer0001'];
    is_err(wx_emu_api($emu, AUTHORIZER_INFO_API, $infoBody, ['component_access_token' => '80_not-a-token']), 40001, 'api_get_authorizer_info: an unknown token');
    is_err(wx_emu_api($emu, AUTHORIZER_INFO_API, $infoBody, ['component_access_token' => $t4]), 42001, 'api_get_authorizer_info: an expired token');
    is_err(wx_emu_api($emu, AUTHORIZER_INFO_API, $infoBody, ['component_access_token' => $atok]), 40001, 'api_get_authorizer_info: an authorizer token instead of the component\'s');
    is_err(wx_emu_api($emu, AUTHORIZER_INFO_API, ['component_appid' => 'wxother'] + $infoBody, $q), 61011, 'api_get_authorizer_info: another component_appid');

    // ---- unauthorized
    $liveTok = wx_emu_api($emu, AUTHORIZER_TOKEN_API, $body, $q)['authorizer_access_token'];
    $un = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxauthorizer0001', 'info_type' => 'unauthorized']);
    $xml = (string) check_push($un, $cfg, 'authorize unauthorized');
    ok(st_xml($xml, 'InfoType') === 'unauthorized' && st_xml($xml, 'AuthorizerAppid') === 'wxauthorizer0001'
        && st_xml($xml, 'AuthorizationCode') === null && !isset($un['authorization_code']), 'unauthorized push: no code', $xml);
    is_err(wx_emu_api($emu, AUTHORIZER_TOKEN_API, $body, $q), 61003, 'unauthorized: refreshing fails');
    is_err($quotaOf($liveTok), 40001, 'unauthorized: its access token is dead');
    try {
        wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxa', 'info_type' => 'bogus']);
        ok(false, 'authorize refuses an unknown info_type');
    } catch (RuntimeException $e) {
        ok(true, 'authorize refuses an unknown info_type');
    }

    // ---- push_event: any plaintext
    $ev = wx_emu_control($emu, 'push_event', ['xml' => '<xml><AppId>x</AppId><InfoType>notify_third_fasteregister</InfoType><appid>wx1</appid></xml>']);
    check_push($ev, $cfg, 'push_event');

    // ---- api_start_push_ticket
    $sp = ['component_appid' => $cfg['component_appid'], 'component_secret' => 'emu-secret'];
    $before = count(wx_emu_control($emu, 'state')['push_requests']);
    $r = wx_emu_api($emu, START_PUSH_API, $sp);
    ok($r['errcode'] === 0 && $r['errmsg'] === 'ok', 'api_start_push_ticket: ok', $r);
    ok(count(wx_emu_control($emu, 'state')['push_requests']) === $before + 1, 'api_start_push_ticket: the request is recorded');
    is_err(wx_emu_api($emu, START_PUSH_API, ['component_appid' => $cfg['component_appid'], 'component_appsecret' => 'emu-secret']),
        41004, 'api_start_push_ticket: component_appsecret is the wrong field name');
    is_err(wx_emu_api($emu, START_PUSH_API, ['component_appid' => $cfg['component_appid']]), 41004, 'api_start_push_ticket: no secret');
    is_err(wx_emu_api($emu, START_PUSH_API, ['component_secret' => 'nope'] + $sp), 40125, 'api_start_push_ticket: a wrong secret');
    is_err(wx_emu_api($emu, START_PUSH_API, ['component_appid' => 'wxother'] + $sp), 40013, 'api_start_push_ticket: another appid');
    $r = wx_emu_api($emu, START_PUSH_API, $sp, ['component_access_token' => 'x']);
    ok(($r['errcode'] ?? null) === 0, 'api_start_push_ticket: needs no token (a stray one is ignored)', $r);

    // ---- quota/get
    $calls = wx_emu_calls($emu);
    $quota = wx_emu_api($emu, QUOTA_API, ['cgi_path' => TOKEN_API], $q);
    ok(($quota['errcode'] ?? null) === 0 && $quota['quota']['used'] === $calls[TOKEN_API]
        && $quota['quota']['daily_limit'] === 10000 && $quota['quota']['remain'] === 10000 - $calls[TOKEN_API],
        'quota/get: used is the call count, remain the rest', [$quota, $calls[TOKEN_API]]);
    is_err(wx_emu_api($emu, QUOTA_API, ['cgi_path' => '/cgi-bin/nothing'], $q), 76021, 'quota/get: unknown cgi_path');
    is_err(wx_emu_api($emu, QUOTA_API, [], $q), 47001, 'quota/get: no cgi_path');
    is_err(wx_emu_api($emu, QUOTA_API, ['cgi_path' => TOKEN_API], ['access_token' => 'bad']), 40001, 'quota/get: an unknown token');
    wx_emu_control($emu, 'config', ['daily_limits' => [PREAUTH_API => wx_emu_calls($emu, PREAUTH_API) + 1]]);
    ok(isset(wx_emu_api($emu, PREAUTH_API, $app, $q)['pre_auth_code']), 'daily limit: the last call within the quota works');
    is_err(wx_emu_api($emu, PREAUTH_API, $app, $q), 45009, 'daily limit: past it, 45009');
    ok(wx_emu_api($emu, QUOTA_API, ['cgi_path' => PREAUTH_API], $q)['quota']['remain'] === 0, 'quota/get: remain 0 at the limit');
    wx_emu_control($emu, 'config', ['daily_limits' => []]);

    // ---- scripted failures
    wx_emu_control($emu, 'fail', ['path' => TOKEN_API, 'errcode' => 61004]);
    $f = wx_emu_api($emu, TOKEN_API, $cred);
    is_err($f, 61004, 'fail once: IP not whitelisted');
    ok(str_contains($f['errmsg'] ?? '', 'requestIP: 127.0.0.1'), '61004 names the caller IP as WeChat does', $f);
    ok(isset(wx_emu_api($emu, TOKEN_API, $cred)['component_access_token']), 'fail once: the next call works again');
    wx_emu_control($emu, 'fail', ['path' => TOKEN_API, 'errcode' => 45009, 'times' => 2]);
    wx_emu_control($emu, 'fail', ['path' => TOKEN_API, 'errcode' => -1, 'errmsg' => 'system error custom']);
    is_err(wx_emu_api($emu, TOKEN_API, $cred), 45009, 'fail times 2: first');
    is_err(wx_emu_api($emu, TOKEN_API, $cred), 45009, 'fail times 2: second');
    $f = wx_emu_api($emu, TOKEN_API, $cred);
    ok(($f['errcode'] ?? null) === -1 && str_starts_with($f['errmsg'], 'system error custom rid: '), 'scripted failures queue up, with a custom errmsg', $f);
    ok(isset(wx_emu_api($emu, TOKEN_API, $cred)['component_access_token']), 'queue drained: the API answers again');
    wx_emu_control($emu, 'fail', ['path' => '*', 'errcode' => -1, 'times' => -1]);
    is_err(wx_emu_api($emu, PREAUTH_API, $app, $q), -1, 'fail path "*" times -1: every API');
    is_err(wx_emu_api($emu, TOKEN_API, $cred), -1, 'fail times -1: still failing');
    wx_emu_control($emu, 'clear_fail');
    ok(isset(wx_emu_api($emu, TOKEN_API, $cred)['component_access_token']), 'clear_fail');
    try {
        wx_emu_control($emu, 'fail', ['path' => '/cgi-bin/component/api_component_tokn', 'errcode' => -1]);
        ok(false, 'fail refuses a path the emulator does not serve');
    } catch (RuntimeException $e) {
        ok(str_contains($e->getMessage(), 'HTTP 400'), 'fail refuses a path the emulator does not serve', $e->getMessage());
    }

    // ---- HTTP-level failures
    wx_emu_control($emu, 'http_error', ['path' => TOKEN_API, 'status' => 502, 'body' => '<html>Bad Gateway</html>']);
    $r = wx_emu_http('POST', $emu['base'] . TOKEN_API, json_encode($cred));
    ok($r['status'] === 502 && $r['body'] === '<html>Bad Gateway</html>', 'http_error: status 502 and its body', $r);
    wx_emu_control($emu, 'http_error', ['path' => TOKEN_API, 'status' => 200, 'body' => "\x00garbage{"]);
    $r = wx_emu_http('POST', $emu['base'] . TOKEN_API, json_encode($cred));
    ok($r['status'] === 200 && $r['body'] === "\x00garbage{" && json_decode($r['body']) === null, 'http_error: a garbage body with status 200', $r);
    $r = wx_emu_http('POST', $emu['base'] . TOKEN_API, json_encode($cred));
    ok($r['status'] === 200 && isset(json_decode($r['body'], true)['component_access_token']), 'http_error is used up after one call');
    wx_emu_control($emu, 'http_error', ['path' => TOKEN_API, 'status' => 503]);
    wx_emu_control($emu, 'fail', ['path' => TOKEN_API, 'errcode' => 61004]);
    $r = wx_emu_http('POST', $emu['base'] . TOKEN_API, json_encode($cred));
    ok($r['status'] === 503, 'http_error goes before a scripted fail');
    is_err(wx_emu_api($emu, TOKEN_API, $cred), 61004, 'the scripted fail waited for its turn');

    // ---- delay and hang
    wx_emu_control($emu, 'delay', ['path' => TOKEN_API, 'ms' => 400]);
    $t = microtime(true);
    $d = wx_emu_api($emu, TOKEN_API, $cred);
    $elapsed = microtime(true) - $t;
    ok(isset($d['component_access_token']) && $elapsed >= 0.4, sprintf('delay 400 ms: answered after %.2f s', $elapsed));
    $t = microtime(true);
    wx_emu_api($emu, TOKEN_API, $cred);
    ok(microtime(true) - $t >= 0.4, 'delay stays until cleared');
    wx_emu_control($emu, 'clear_fail', ['path' => TOKEN_API]);
    $t = microtime(true);
    wx_emu_api($emu, TOKEN_API, $cred);
    ok(microtime(true) - $t < 0.4, 'clear_fail {path} removes the delay');

    wx_emu_control($emu, 'hang', ['path' => PREAUTH_API, 'seconds' => 2]);
    $t = microtime(true);
    $r = wx_emu_http('POST', $emu['base'] . PREAUTH_API . '?' . http_build_query($q), json_encode($app), 1.0);
    $elapsed = microtime(true) - $t;
    ok($r['status'] === 0 && $elapsed >= 0.9 && $elapsed < 2.5, sprintf('hang 2 s: a client with a 1 s timeout gives up after %.2f s', $elapsed), $r);
    usleep(1200000);                                     // let that worker finish its hang
    if ($workers > 1) {
        // One request hangs in the background; another API must still answer at once.
        $bg = proc_open([PHP_BINARY, '-r', 'require $argv[1]; wx_emu_http("POST", $argv[2], $argv[3], 10);',
            __DIR__ . '/emulator.inc', $emu['base'] . PREAUTH_API . '?' . http_build_query($q), json_encode($app)], [], $pipes);
        usleep(300000);
        $t = microtime(true);
        $ok = isset(wx_emu_api($emu, TOKEN_API, $cred)['component_access_token']);
        $elapsed = microtime(true) - $t;
        ok($ok && $elapsed < 1.0, sprintf('while a request hangs, other requests are answered (%.2f s)', $elapsed));
        $t = microtime(true);
        proc_close($bg);
        $waited = microtime(true) - $t;
        ok($waited >= 1.0, sprintf('the hanging request is answered only after the hang (%.2f s more)', $waited));
    } else {
        skip('while a request hangs, other requests are answered', 'one worker');
        skip('the hanging request is answered only after the hang', 'one worker');
    }
    wx_emu_control($emu, 'clear_fail');

    // ---- unknown API, calls, log, state, config validation
    $r = wx_emu_http('POST', $emu['base'] . '/cgi-bin/component/api_nonexistent', '{}');
    ok($r['status'] === 404 && wx_emu_calls($emu, '/cgi-bin/component/api_nonexistent') === 1, 'an unknown API path: HTTP 404, counted', $r);
    $calls = wx_emu_calls($emu);
    ok(!array_filter(array_keys($calls), fn ($p) => str_starts_with($p, '/__emu/')) && $calls[TOKEN_API] > 10
        && wx_emu_calls($emu, TOKEN_API) === $calls[TOKEN_API], 'calls: API paths only, not control calls', $calls);
    $log = wx_emu_control($emu, 'log', ['path' => START_PUSH_API, 'limit' => 2]);
    ok(count($log) === 2 && $log[1]['path'] === START_PUSH_API && $log[1]['body']['component_secret'] === 'emu-secret'
        && $log[1]['query'] === ['component_access_token' => 'x'] && $log[1]['result'] === 0 && $log[0]['result'] === 40013,
        'log: path, query, decoded body and result of the last requests', $log);
    $state = wx_emu_control($emu, 'state');
    ok(isset($state['config'], $state['tokens'], $state['tickets'], $state['authorizers']['wxauthorizer0001']), 'state dump');
    foreach ([['encoding_aes_key' => 'short'], ['nonsense' => 1], ['expires_in' => 'long'], ['rotate_refresh_token' => 'yes']] as $bad) {
        try {
            wx_emu_control($emu, 'config', $bad);
            ok(false, 'config refuses ' . json_encode($bad));
        } catch (RuntimeException $e) {
            ok(str_contains($e->getMessage(), 'HTTP 400'), 'config refuses ' . json_encode($bad), $e->getMessage());
        }
    }
    try {
        wx_emu_control($emu, 'no_such_op');
        ok(false, 'an unknown control operation is refused');
    } catch (RuntimeException $e) {
        ok(str_contains($e->getMessage(), 'HTTP 404'), 'an unknown control operation is refused', $e->getMessage());
    }

    // ---- another component config: pushes and checks follow it
    $other = ['component_appid' => 'wx1234567890abcdef', 'component_appsecret' => 's3cr3t', 'token' => 'tok',
        'encoding_aes_key' => str_repeat('Z9y8X7w6V5', 4) . 'abc'];
    $cfg2 = wx_emu_control($emu, 'config', $other)['config'];
    $push2 = wx_emu_control($emu, 'push_ticket');
    check_push($push2, $cfg2, 'push_ticket with another config');
    $cred2 = ['component_appid' => 'wx1234567890abcdef', 'component_appsecret' => 's3cr3t', 'component_verify_ticket' => $push2['ticket']];
    ok(isset(wx_emu_api($emu, TOKEN_API, $cred2)['component_access_token']), 'api_component_token with another config');
    is_err(wx_emu_api($emu, TOKEN_API, $cred), 40013, 'the old appid is refused after a config change');

    // ---- reset
    $oldTok = wx_emu_api($emu, TOKEN_API, $cred2)['component_access_token'];
    $rs = wx_emu_control($emu, 'reset');
    ok($rs['config']['component_appid'] === 'wx1234567890abcdef' && wx_emu_calls($emu) === [], 'reset: calls forgotten, config kept', $rs);
    is_err(wx_emu_api($emu, TOKEN_API, $cred2), 61006, 'reset: tickets forgotten');
    is_err(wx_emu_api($emu, QUOTA_API, ['cgi_path' => TOKEN_API], ['access_token' => $oldTok]), 40001, 'reset: tokens forgotten');
    $rs = wx_emu_control($emu, 'reset', ['keep_config' => false]);
    ok($rs['config']['component_appid'] === 'wx0000000000component', 'reset keep_config:false: back to the env/default config');

    // ---- 32 processes hammer api_component_token at once: no increment is lost
    $ticket = wx_emu_control($emu, 'push_ticket')['ticket'];
    $cred = ['component_appid' => 'wx0000000000component', 'component_appsecret' => 'emu-secret', 'component_verify_ticket' => $ticket];
    [$n, $each] = [32, 10];
    $go = tempnam(sys_get_temp_dir(), 'wx_emu_go_');
    unlink($go);
    $child = <<<'PHP'
        require $argv[1];
        [$base, $go, $each, $cred] = [$argv[2], $argv[3], (int) $argv[4], json_decode($argv[5], true)];
        while (!file_exists($go)) { usleep(1000); }
        $out = [];
        for ($i = 0; $i < $each; $i++) {
            $a = wx_emu_api(['base' => $base], '/cgi-bin/component/api_component_token', $cred, [], 30);
            $out[] = $a['component_access_token'] ?? json_encode($a);
        }
        echo json_encode($out);
        PHP;
    $procs = [];
    for ($i = 0; $i < $n; $i++) {
        $procs[] = proc_open([PHP_BINARY, '-r', $child, __DIR__ . '/emulator.inc', $emu['base'], $go, (string) $each, json_encode($cred)],
            [1 => ['pipe', 'w']], $pipes[$i]);
    }
    usleep(300000);
    touch($go);
    $tokens = [];
    $bad = [];
    foreach ($procs as $i => $proc) {
        $out = json_decode(stream_get_contents($pipes[$i][1]), true);
        fclose($pipes[$i][1]);
        proc_close($proc);
        foreach (is_array($out) ? $out : [null] as $tok) {
            is_string($tok) && str_starts_with($tok, '80_') ? $tokens[] = $tok : $bad[] = $tok;
        }
    }
    unlink($go);
    ok(!$bad && count($tokens) === $n * $each, "hammer: $n processes x $each calls all got a token", array_slice($bad, 0, 3));
    ok(count(array_unique($tokens)) === count($tokens), 'hammer: every token is unique');
    ok(wx_emu_calls($emu, TOKEN_API) === $n * $each, 'hammer: the call counter lost no increment (' . wx_emu_calls($emu, TOKEN_API) . ')');
    ok(wx_emu_api($emu, QUOTA_API, ['cgi_path' => TOKEN_API], ['access_token' => wx_emu_control($emu, 'state')['current']['component']])['quota']['used'] === $n * $each,
        'hammer: quota used matches');

    // ================================================================
    // Issue 12: the simulated clock, many authorizers, the authorizer
    // list, quotas and their resets, counters and the rate view.
    wx_emu_control($emu, 'reset', ['keep_config' => false]);
    $cfg = wx_emu_control($emu, 'config')['config'];
    $app = ['component_appid' => $cfg['component_appid']];
    $refused = function (string $op, array $body, string $name, int $status = 400) use ($emu): void {
        try {
            wx_emu_control($emu, $op, $body);
            ok(false, $name);
        } catch (RuntimeException $e) {
            ok(str_contains($e->getMessage(), "HTTP $status"), $name, $e->getMessage());
        }
    };
    $newCat = function () use ($emu, $cfg): string {
        $ticket = wx_emu_control($emu, 'push_ticket')['ticket'];
        return wx_emu_api($emu, TOKEN_API, ['component_appid' => $cfg['component_appid'], 'component_appsecret' => 'emu-secret',
            'component_verify_ticket' => $ticket])['component_access_token'];
    };

    // ---- the clock: every expiry follows it
    $c0 = wx_emu_control($emu, 'clock');
    ok(abs($c0['now'] - microtime(true)) < 5 && $c0['offset'] == 0 && preg_match('/^\d{8}$/', $c0['day']) && preg_match('/^\d{6}$/', $c0['month']),
        'clock: now, real, offset 0, day and month', $c0);
    $refused('advance_clock', ['seconds' => -1], 'advance_clock refuses to go back');
    $refused('advance_clock', ['seconds' => 'soon'], 'advance_clock refuses a non-number');
    $refused('advance_clock', [], 'advance_clock needs seconds');
    $push = wx_emu_control($emu, 'push_ticket');
    $cred = $app + ['component_appsecret' => 'emu-secret', 'component_verify_ticket' => $push['ticket']];
    $k1 = wx_emu_api($emu, TOKEN_API, $cred)['component_access_token'];
    $k2 = wx_emu_api($emu, TOKEN_API, $cred)['component_access_token'];
    $pre = fn (string $tok) => wx_emu_api($emu, PREAUTH_API, $app, ['component_access_token' => $tok]);
    ok(isset($pre($k1)['pre_auth_code']), 'clock: the previous token works within the grace period');
    $c1 = wx_emu_advance_clock($emu, 301);
    ok($c1['offset'] == 301 && $c1['now'] - $c1['real'] > 300.9 && $c1['now'] - $c1['real'] < 301.1, 'advance_clock 301 s: the clock is 301 s ahead', $c1);
    is_err($pre($k1), 40001, 'clock: past the grace period, the previous token is dead');
    ok(isset($pre($k2)['pre_auth_code']), 'clock: the current token still works');
    $a = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxclock000000000001']);
    ok((int) st_xml($a['plaintext'], 'CreateTime') >= (int) $c1['now'] && (int) st_xml($a['plaintext'], 'AuthorizationCodeExpiredTime') >= (int) $c1['now'] + 3600
        && (int) $a['query']['timestamp'] >= (int) $c1['now'], 'clock: pushes carry the emulated time (CreateTime, code expiry, timestamp)', $a);
    $code = wx_emu_api($emu, QUERY_AUTH_API, $app + ['authorization_code' => $a['authorization_code']], ['component_access_token' => $k2]);
    $atk = $code['authorization_info']['authorizer_access_token'] ?? '';
    $a2 = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxclock000000000002']);
    wx_emu_advance_clock($emu, 3601);
    is_err(wx_emu_api($emu, QUERY_AUTH_API, $app + ['authorization_code' => $a2['authorization_code']], ['component_access_token' => $k2]),
        61010, 'clock: an authorization code past its 3600 s');
    wx_emu_advance_clock($emu, 3600);
    is_err($pre($k2), 42001, 'clock: the component token past its 7200 s');
    is_err(wx_emu_api($emu, QUOTA_API, ['cgi_path' => TOKEN_API], ['access_token' => $atk]), 42001, 'clock: an authorizer token past its 7200 s');
    ok(isset(wx_emu_api($emu, TOKEN_API, $cred)['component_access_token']), 'clock: a 2 h old ticket still works');
    wx_emu_advance_clock($emu, 43200 - 7501 + 1);
    is_err(wx_emu_api($emu, TOKEN_API, $cred), 61005, 'clock: the ticket past its 12 h');
    wx_emu_control($emu, 'reset');
    ok(wx_emu_control($emu, 'clock')['offset'] == 0, 'reset: the clock is back to real time');

    // ---- create_authorizers: 10,000 accounts at once
    $refused('create_authorizers', ['count' => 0], 'create_authorizers refuses count 0');
    $refused('create_authorizers', ['count' => 2, 'prefix' => 'no spaces'], 'create_authorizers refuses a bad prefix');
    $refused('create_authorizers', ['count' => 2, 'issue_tokens' => true, 'token_expires_in' => [10, 5]], 'create_authorizers refuses min > max');
    $N = 10000;
    $made = wx_emu_control($emu, 'create_authorizers', ['count' => $N]);
    $byApp = array_column($made['authorizers'], 'authorizer_refresh_token', 'authorizer_appid');
    ok($made['created'] === $N && count($byApp) === $N && $made['first'] === 'wxemu0000000000000' && $made['last'] === 'wxemu0000000009999'
        && !array_filter(array_keys($byApp), fn ($id) => strlen((string) $id) !== 18)
        && count(array_unique($byApp)) === $N && !array_filter($byApp, fn ($rt) => !str_starts_with($rt, 'refreshtoken@@@')),
        "create_authorizers: $N accounts of 18 characters, each with its own refresh token", [$made['first'], $made['last'], count($byApp)]);
    $cat = $newCat();
    $q = ['component_access_token' => $cat];
    $rtBody = fn (string $appid) => $app + ['authorizer_appid' => $appid, 'authorizer_refresh_token' => $byApp[$appid]];
    $sample = ['wxemu0000000000000', 'wxemu0000000004711', 'wxemu0000000009999'];
    ok(!array_filter($sample, fn ($id) => !isset(wx_emu_api($emu, AUTHORIZER_TOKEN_API, $rtBody($id), $q)['authorizer_access_token'])),
        'create_authorizers: their refresh tokens work with api_authorizer_token');
    $gi = wx_emu_api($emu, AUTHORIZER_INFO_API, $app + ['authorizer_appid' => 'wxemu0000000004711'], $q);
    ok(($gi['authorization_info']['authorizer_refresh_token'] ?? '') === $byApp['wxemu0000000004711'] && isset($gi['authorizer_info']['nick_name']),
        'api_get_authorizer_info returns a created account\'s refresh token', $gi);
    $spread = wx_emu_control($emu, 'create_authorizers', ['count' => 5, 'prefix' => 'wxspread', 'issue_tokens' => true, 'token_expires_in' => [100, 500]]);
    ok(array_column($spread['authorizers'], 'expires_in') === [100, 200, 300, 400, 500]
        && !array_filter($spread['authorizers'], fn ($e) => !str_starts_with($e['authorizer_access_token'] ?? '', '80_'))
        && $spread['first'] === 'wxspread0000000000', 'create_authorizers issue_tokens: token lifetimes spread evenly over [min, max]', $spread);
    $spreadTok = $spread['authorizers'][0]['authorizer_access_token'];
    ok((wx_emu_api($emu, QUOTA_API, ['cgi_path' => TOKEN_API], ['access_token' => $spreadTok])['errcode'] ?? null) === 0,
        'create_authorizers: an issued access token is a live token');

    // ---- authorizers: inspect token expiry
    $ins = wx_emu_control($emu, 'authorizers', ['limit' => 3]);
    ok($ins['total'] === $N + 5 && count($ins['list']) === 3 && $ins['summary']['authorized'] === $N + 5
        && $ins['summary']['live_tokens'] === 3 + 5 && $ins['summary']['no_token'] === $N - 3, 'authorizers: totals and summary', $ins['summary']);
    $one = wx_emu_control($emu, 'authorizers', ['appid' => 'wxemu0000000004711'])['list'][0] ?? [];
    ok($one['authorizer_appid'] === 'wxemu0000000004711' && $one['live'] === true && $one['refreshes'] === 1
        && $one['expires_in'] > 7190 && $one['expires_in'] <= 7200 && $one['refresh_token'] === $byApp['wxemu0000000004711']
        && is_string($one['access_token']), 'authorizers {appid}: its token, expiry, refresh token and refresh count', $one);
    $soon = wx_emu_control($emu, 'authorizers', ['expiring_within' => 250, 'order' => 'expiry']);
    $soonIds = array_column($soon['list'], 'authorizer_appid');
    ok($soon['summary']['expiring_within'] === $N - 3 + 2 && array_slice($soonIds, -2) === ['wxspread0000000000', 'wxspread0000000001'],
        'authorizers expiring_within 250 order expiry: the accounts without a token, then the two soonest', array_slice($soonIds, -3));
    wx_emu_advance_clock($emu, 350);
    $soon = wx_emu_control($emu, 'authorizers', ['expiring_within' => 100, 'order' => 'expiry', 'offset' => $N - 3]);
    ok(array_column($soon['list'], 'authorizer_appid') === ['wxspread0000000000', 'wxspread0000000001', 'wxspread0000000002', 'wxspread0000000003']
        && $soon['list'][0]['live'] === false && $soon['list'][0]['expires_in'] < 0 && $soon['list'][3]['expires_in'] <= 50,
        'authorizers after advance_clock 350: expired ones first, expiry on the emulated clock', $soon['list']);
    $refused('authorizers', ['appid' => 'wxnobody'], 'authorizers {appid} of an unknown account: 404', 404);
    $refused('authorizers', ['order' => 'random'], 'authorizers refuses an unknown order');

    // ---- api_get_authorizer_list
    $listBody = fn (int $offset, int $count) => $app + ['offset' => $offset, 'count' => $count];
    $p0 = wx_emu_api($emu, LIST_API, $listBody(0, 500), $q);
    ok(($p0['total_count'] ?? null) === $N + 5 && count($p0['list']) === 500 && array_keys($p0['list'][0]) === ['authorizer_appid', 'refresh_token', 'auth_time']
        && is_int($p0['list'][0]['auth_time']) && !isset($p0['errcode']), 'api_get_authorizer_list: total_count, 500 entries of authorizer_appid, refresh_token, auth_time', array_slice($p0, 0, 1) + ['first' => $p0['list'][0] ?? null]);
    $all = wx_emu_list_authorizers($emu, $cat);
    $listed = array_column($all['list'], 'refresh_token', 'authorizer_appid');
    ok($all['pages'] === 21 && count($all['list']) === $N + 5 && count($listed) === $N + 5
        && !array_filter($byApp, fn ($rt, $id) => ($listed[$id] ?? null) !== $rt, ARRAY_FILTER_USE_BOTH),
        'api_get_authorizer_list: 21 pages of <= 500 list every account once, with its refresh token', [$all['pages'], count($all['list'])]);
    $again = wx_emu_api($emu, LIST_API, $listBody(9000, 3), $q);
    ok(array_column($again['list'], 'authorizer_appid') === array_slice(array_column($all['list'], 'authorizer_appid'), 9000, 3),
        'api_get_authorizer_list: pages are stable (same order every time)');
    $tail = wx_emu_api($emu, LIST_API, $listBody($N + 3, 500), $q);
    ok(count($tail['list']) === 2 && $tail['total_count'] === $N + 5, 'api_get_authorizer_list: the last page is short', $tail);
    $past = wx_emu_api($emu, LIST_API, $listBody($N + 100, 10), $q);
    ok($past === ['total_count' => $N + 5, 'list' => []], 'api_get_authorizer_list: an offset past the end gives an empty list', $past);
    is_err(wx_emu_api($emu, LIST_API, $listBody(0, 501), $q), 40097, 'api_get_authorizer_list: count 501');
    is_err(wx_emu_api($emu, LIST_API, $listBody(0, 0), $q), 40097, 'api_get_authorizer_list: count 0');
    is_err(wx_emu_api($emu, LIST_API, $listBody(-1, 10), $q), 40097, 'api_get_authorizer_list: a negative offset');
    is_err(wx_emu_api($emu, LIST_API, $app + ['count' => 10], $q), 40097, 'api_get_authorizer_list: no offset');
    is_err(wx_emu_api($emu, LIST_API, $app + ['offset' => 0, 'count' => '10'], $q), 47001, 'api_get_authorizer_list: count as a string');
    is_err(wx_emu_api($emu, LIST_API, ['component_appid' => 'wxother', 'offset' => 0, 'count' => 10], $q), 61011, 'api_get_authorizer_list: another component_appid');
    is_err(wx_emu_api($emu, LIST_API, $listBody(0, 10), ['component_access_token' => '80_nope']), 40001, 'api_get_authorizer_list: an unknown token');
    is_err(wx_emu_api($emu, LIST_API, $listBody(0, 10), ['access_token' => $spreadTok]), 40001, 'api_get_authorizer_list: an authorizer token');
    is_err(wx_emu_api($emu, LIST_API, $listBody(0, 10)), 41001, 'api_get_authorizer_list: no token');
    $code = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxnotexchanged0001']);
    wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxemu0000000000007', 'info_type' => 'unauthorized']);
    $all2 = array_column(wx_emu_list_authorizers($emu, $cat)['list'], null, 'authorizer_appid');
    ok(count($all2) === $N + 5 && !isset($all2['wxemu0000000000007']) && isset($all2['wxnotexchanged0001'])
        && !array_key_exists('refresh_token', $all2['wxnotexchanged0001']), 'api_get_authorizer_list: an unauthorized account is gone; one whose code was never exchanged has no refresh_token',
        $all2['wxnotexchanged0001'] ?? null);
    wx_emu_api($emu, QUERY_AUTH_API, $app + ['authorization_code' => $code['authorization_code']], $q);

    // ---- omit_refresh_token: the field operators report missing
    $om = wx_emu_control($emu, 'omit_refresh_token', ['every' => 10]);
    $page = wx_emu_list_authorizers($emu, $cat);
    $missing = array_values(array_map(fn ($e) => $e['authorizer_appid'], array_filter($page['list'], fn ($e) => !array_key_exists('refresh_token', $e))));
    $tenth = array_values(array_filter(array_column($page['list'], 'authorizer_appid'), fn ($id, $i) => ($i + 1) % 10 === 0, ARRAY_FILTER_USE_BOTH));
    ok(count($om['appids']) === intdiv($N + 5, 10) && $missing === $om['appids'] && $missing === $tenth && $om['apis'] === ['list'],
        'omit_refresh_token every 10: exactly every 10th entry of the list lacks refresh_token', [count($missing), count($om['appids'])]);
    ok(isset(wx_emu_api($emu, AUTHORIZER_INFO_API, $app + ['authorizer_appid' => $om['appids'][0]], $q)['authorization_info']['authorizer_refresh_token']),
        'omit_refresh_token apis [list]: api_get_authorizer_info still carries it');
    wx_emu_control($emu, 'omit_refresh_token', ['appids' => ['wxemu0000000000001'], 'apis' => ['list', 'info']]);
    $gi = wx_emu_api($emu, AUTHORIZER_INFO_API, $app + ['authorizer_appid' => 'wxemu0000000000001'], $q);
    $p0 = wx_emu_api($emu, LIST_API, $listBody(0, 500), $q);
    ok(isset($gi['authorization_info']['authorizer_appid']) && !array_key_exists('authorizer_refresh_token', $gi['authorization_info'])
        && count(array_filter($p0['list'], fn ($e) => !isset($e['refresh_token']))) === 1 && !isset($p0['list'][1]['refresh_token']),
        'omit_refresh_token {appids, apis [list, info]}: only that account, in both APIs (the last setting is replaced)', $gi);
    wx_emu_control($emu, 'omit_refresh_token', ['all' => true]);
    $p0 = wx_emu_api($emu, LIST_API, $listBody(500, 500), $q);
    ok(count($p0['list']) === 500 && !array_filter($p0['list'], fn ($e) => isset($e['refresh_token'])), 'omit_refresh_token all: no entry has refresh_token');
    wx_emu_control($emu, 'omit_refresh_token');
    $p0 = wx_emu_api($emu, LIST_API, $listBody(0, 500), $q);
    ok(!array_filter($p0['list'], fn ($e) => !isset($e['refresh_token'])), 'omit_refresh_token {}: every refresh token is back');
    $refused('omit_refresh_token', ['appids' => ['wxnobody']], 'omit_refresh_token refuses an unknown appid', 404);
    $refused('omit_refresh_token', ['all' => true, 'apis' => ['token']], 'omit_refresh_token refuses an unknown API');

    // ---- quota: per API, per appid, per day; 45009 past the limit
    $refused('set_quota', ['path' => '*', 'daily_limit' => 1], 'set_quota refuses "*"');
    $refused('set_quota', ['path' => PREAUTH_API], 'set_quota needs daily_limit');
    $refused('set_quota', ['path' => PREAUTH_API, 'daily_limit' => -1], 'set_quota refuses a negative limit');
    $used = fn (string $appid, string $path) => wx_emu_control($emu, 'quota', ['appid' => $appid])['used'][$appid][$path]['used'] ?? 0;
    $sq = wx_emu_control($emu, 'set_quota', ['path' => PREAUTH_API, 'daily_limit' => $used($cfg['component_appid'], PREAUTH_API) + 2]);
    ok($sq['ok'] && $sq['appid'] === $cfg['component_appid'] && $sq['daily_limit'] === $used($cfg['component_appid'], PREAUTH_API) + 2,
        'set_quota {path, daily_limit}: the platform\'s limit for that API', $sq);
    ok(isset($pre($cat)['pre_auth_code']) && isset($pre($cat)['pre_auth_code']), 'quota: the calls within the limit work');
    is_err($pre($cat), 45009, 'quota: past the daily limit, 45009');
    $qv = wx_emu_control($emu, 'quota', ['appid' => $cfg['component_appid']]);
    $pq = $qv['used'][$cfg['component_appid']][PREAUTH_API] ?? [];
    ok($pq['used'] === $pq['daily_limit'] + 1 && $pq['remain'] === 0 && $qv['day'] === wx_emu_control($emu, 'clock')['day'],
        'quota control op: used, daily_limit and remain per appid and API, today', $qv);
    ok(isset(wx_emu_api($emu, LIST_API, $listBody(0, 1), $q)['list']), 'quota: another API is not affected');
    $qa = wx_emu_api($emu, QUOTA_API, ['cgi_path' => PREAUTH_API], $q);
    ok(($qa['quota']['remain'] ?? null) === 0 && $qa['quota']['used'] === $pq['used'], 'quota/get agrees with the quota control op', $qa);
    // an authorizer's own quota is its own
    $sq = wx_emu_control($emu, 'set_quota', ['path' => QUOTA_API, 'daily_limit' => 1, 'appid' => 'wxspread0000000004']);
    $s4 = $spread['authorizers'][4]['authorizer_access_token'];
    ok($sq['daily_limit'] === 1 && ($qa = wx_emu_api($emu, QUOTA_API, ['cgi_path' => QUOTA_API], ['access_token' => $s4]))['quota']['used'] === 1
        && $qa['quota']['daily_limit'] === 1, 'set_quota {appid}: an authorizer\'s limit; quota/get with its token reports its own use', $qa);
    is_err(wx_emu_api($emu, QUOTA_API, ['cgi_path' => QUOTA_API], ['access_token' => $s4]), 45009, 'quota: the authorizer past its own limit');
    ok((wx_emu_api($emu, QUOTA_API, ['cgi_path' => QUOTA_API], $q)['errcode'] ?? null) === 0, 'quota: the platform is not stopped by the authorizer\'s limit');
    wx_emu_control($emu, 'set_quota', ['path' => QUOTA_API, 'daily_limit' => null, 'appid' => 'wxspread0000000004']);
    ok((wx_emu_api($emu, QUOTA_API, ['cgi_path' => QUOTA_API], ['access_token' => $s4])['errcode'] ?? null) === 0, 'set_quota daily_limit null removes the limit');

    // ---- component/clear_quota/v2 (the platform's reset, with its AppSecret)
    $cq = $app + ['appsecret' => 'emu-secret'];
    is_err(wx_emu_api($emu, COMPONENT_CLEAR_API, ['appsecret' => 'wrong'] + $cq), 40125, 'component/clear_quota/v2: a wrong appsecret');
    is_err(wx_emu_api($emu, COMPONENT_CLEAR_API, $app), 41004, 'component/clear_quota/v2: no appsecret');
    is_err(wx_emu_api($emu, COMPONENT_CLEAR_API, ['appsecret' => 'emu-secret']), 41002, 'component/clear_quota/v2: no component_appid');
    is_err(wx_emu_api($emu, COMPONENT_CLEAR_API, ['component_appid' => 'wxother'] + $cq), 40013, 'component/clear_quota/v2: another component_appid');
    is_err(wx_emu_api($emu, COMPONENT_CLEAR_API, ['appid' => 'wxemu0000000000007'] + $cq), 40013, 'component/clear_quota/v2: an appid that is not authorized');
    is_err($pre($cat), 45009, 'quota: wrong resets left the count alone');
    $r = wx_emu_api($emu, COMPONENT_CLEAR_API, $cq);
    ok($r === ['errcode' => 0, 'errmsg' => 'ok'], 'component/clear_quota/v2: ok', $r);
    ok(isset($pre($cat)['pre_auth_code']) && $used($cfg['component_appid'], PREAUTH_API) === 1, 'component/clear_quota/v2: the platform\'s counts start again from zero');
    wx_emu_control($emu, 'set_quota', ['path' => QUOTA_API, 'daily_limit' => 1, 'appid' => 'wxspread0000000004']);
    wx_emu_api($emu, QUOTA_API, ['cgi_path' => QUOTA_API], ['access_token' => $s4]);
    is_err(wx_emu_api($emu, QUOTA_API, ['cgi_path' => QUOTA_API], ['access_token' => $s4]), 45009, 'quota: the authorizer at its limit again');
    $r = wx_emu_api($emu, COMPONENT_CLEAR_API, ['appid' => 'wxspread0000000004'] + $cq);
    ok(($r['errcode'] ?? null) === 0 && (wx_emu_api($emu, QUOTA_API, ['cgi_path' => QUOTA_API], ['access_token' => $s4])['errcode'] ?? null) === 0,
        'component/clear_quota/v2 {appid}: resets an authorized account\'s counts', $r);
    // ---- clear_quota/v2 (an account's own reset) and clear_quota (v1, with a token)
    is_err(wx_emu_api($emu, CLEAR_V2_API, ['appsecret' => 'emu-secret']), 41002, 'clear_quota/v2: no appid');
    is_err(wx_emu_api($emu, CLEAR_V2_API, ['appid' => $cfg['component_appid']]), 41004, 'clear_quota/v2: no appsecret');
    is_err(wx_emu_api($emu, CLEAR_V2_API, ['appid' => $cfg['component_appid'], 'appsecret' => 'x']), 40125, 'clear_quota/v2: a wrong appsecret');
    is_err(wx_emu_api($emu, CLEAR_V2_API, ['appid' => 'wxemu0000000000001', 'appsecret' => 'x']), 40125, 'clear_quota/v2: an authorizer (the emulator knows no authorizer secret)');
    is_err(wx_emu_api($emu, CLEAR_V2_API, ['appid' => 'wxnobody', 'appsecret' => 'x']), 40013, 'clear_quota/v2: an unknown appid');
    wx_emu_control($emu, 'set_quota', ['path' => TOKEN_API, 'daily_limit' => 0]);
    wx_emu_control($emu, 'set_quota', ['path' => PREAUTH_API, 'daily_limit' => 0]);
    is_err(wx_emu_api($emu, TOKEN_API, $cred), 45009, 'quota: api_component_token at a limit of 0');
    $r = wx_emu_http('POST', $emu['base'] . CLEAR_V2_API . '?' . http_build_query(['appid' => $cfg['component_appid'], 'appsecret' => 'emu-secret']), '');
    ok((json_decode($r['body'], true)['errcode'] ?? null) === 0, 'clear_quota/v2: appid and appsecret in the query, empty body', $r['body']);
    ok($used($cfg['component_appid'], PREAUTH_API) === 0 && $used($cfg['component_appid'], TOKEN_API) === 1,
        'clear_quota/v2 with the platform\'s appid resets all but api_component_token (WeChat sends that to component/clear_quota/v2)');
    is_err(wx_emu_api($emu, CLEAR_V1_API, ['appid' => 'wxemu0000000000001'], $q), 40013, 'clear_quota (v1): an appid that is not the token\'s');
    is_err(wx_emu_api($emu, CLEAR_V1_API, ['appid' => $cfg['component_appid']]), 41001, 'clear_quota (v1): no token');
    is_err(wx_emu_api($emu, CLEAR_V1_API, [], $q), 41002, 'clear_quota (v1): no appid');
    $r = wx_emu_api($emu, CLEAR_V1_API, ['appid' => $cfg['component_appid']], $q);
    ok(($r['errcode'] ?? null) === 0 && $used($cfg['component_appid'], TOKEN_API) === 0, 'clear_quota (v1) with the component token resets every count', $r);
    wx_emu_control($emu, 'set_quota', ['path' => TOKEN_API, 'daily_limit' => null]);
    wx_emu_control($emu, 'set_quota', ['path' => PREAUTH_API, 'daily_limit' => null]);
    $r = wx_emu_api($emu, CLEAR_V1_API, ['appid' => 'wxspread0000000004'], ['access_token' => $s4]);
    ok(($r['errcode'] ?? null) === 0, 'clear_quota (v1) with an authorizer token resets that account', $r);
    // the monthly limit, shared by the three
    $qv = wx_emu_control($emu, 'quota');
    ok($qv['clears'][$cfg['component_appid']]['used'] === 3 && $qv['clears'][$cfg['component_appid']]['limit'] === 10
        && $qv['clears']['wxspread0000000004']['used'] === 2 && count($qv['clear_log']) === 5, 'quota: resets counted per appid and month, shared by the three APIs', $qv['clears']);
    wx_emu_control($emu, 'config', ['clear_quota_monthly_limit' => 4]);
    ok((wx_emu_api($emu, COMPONENT_CLEAR_API, $cq)['errcode'] ?? null) === 0, 'clear quota: the 4th reset of the month works');
    is_err(wx_emu_api($emu, COMPONENT_CLEAR_API, $cq), 48006, 'clear quota: past the monthly limit, 48006');
    is_err(wx_emu_api($emu, CLEAR_V1_API, ['appid' => $cfg['component_appid']], $q), 48006, 'clear quota: the limit is shared with clear_quota (v1)');
    wx_emu_control($emu, 'set_quota', ['path' => COMPONENT_CLEAR_API, 'daily_limit' => 0]);
    is_err(wx_emu_api($emu, COMPONENT_CLEAR_API, $cq), 48006, 'clear quota: never 45009 (only the monthly limit stops it)');
    wx_emu_control($emu, 'set_quota', ['path' => COMPONENT_CLEAR_API, 'daily_limit' => null]);
    // a new day resets the daily counts; a new month the resets
    wx_emu_control($emu, 'set_quota', ['path' => PREAUTH_API, 'daily_limit' => 1]);
    $pre($cat);
    is_err($pre($cat), 45009, 'quota: at the limit before midnight (Beijing time)');
    $clk = wx_emu_control($emu, 'clock');
    $toMidnight = 86400 - (((int) floor($clk['now']) + 8 * 3600) % 86400) + 1;
    $clk2 = wx_emu_advance_clock($emu, $toMidnight);
    $cat = $newCat();
    ok($clk2['day'] !== $clk['day'] && isset($pre($cat)['pre_auth_code']), 'quota: a new day on the emulated clock starts the counts from zero', [$clk, $clk2]);
    $monthNow = $clk2['month'];
    for ($days = 0; wx_emu_control($emu, 'clock')['month'] === $monthNow; $days++) {
        wx_emu_advance_clock($emu, 86400);
    }
    $cat = $newCat();
    $r = wx_emu_api($emu, COMPONENT_CLEAR_API, $cq);
    ok(($r['errcode'] ?? null) === 0 && $days <= 31, "clear quota: a new month ($days days on) allows resets again", $r);
    wx_emu_control($emu, 'config', ['clear_quota_monthly_limit' => 10, 'daily_limits' => []]);

    // ---- counters per API, per errcode, per authorizer
    wx_emu_control($emu, 'reset');
    $made = wx_emu_control($emu, 'create_authorizers', ['count' => $N, 'issue_tokens' => true, 'token_expires_in' => 7200]);
    $byApp = array_column($made['authorizers'], 'authorizer_refresh_token', 'authorizer_appid');
    $rtBody = fn (string $appid) => $app + ['authorizer_appid' => $appid, 'authorizer_refresh_token' => $byApp[$appid]];
    $cat = $newCat();
    $q = ['component_access_token' => $cat];
    $x = 'wxemu0000000000042';
    wx_emu_api($emu, AUTHORIZER_TOKEN_API, $rtBody($x), $q);
    wx_emu_api($emu, AUTHORIZER_TOKEN_API, ['authorizer_refresh_token' => 'refreshtoken@@@bad'] + $rtBody($x), $q);
    wx_emu_control($emu, 'fail', ['path' => AUTHORIZER_TOKEN_API, 'errcode' => -1]);
    wx_emu_api($emu, AUTHORIZER_TOKEN_API, $rtBody($x), $q);
    wx_emu_api($emu, AUTHORIZER_INFO_API, $app + ['authorizer_appid' => $x], $q);
    wx_emu_control($emu, 'http_error', ['path' => AUTHORIZER_TOKEN_API, 'status' => 502]);
    wx_emu_http('POST', $emu['base'] . AUTHORIZER_TOKEN_API . '?' . http_build_query($q), json_encode($rtBody($x)));
    $ct = wx_emu_control($emu, 'counters', ['appid' => $x]);
    ok($ct['calls'][AUTHORIZER_TOKEN_API] === 4 && $ct['results'][AUTHORIZER_TOKEN_API] === ['0' => 1, '61023' => 1, '-1' => 1, 'http_502' => 1]
        && $ct['authorizers'][$x] === [AUTHORIZER_TOKEN_API => ['0' => 1, '61023' => 1, '-1' => 1, 'http_502' => 1], AUTHORIZER_INFO_API => ['0' => 1]],
        'counters: calls per API, results per errcode (http_<status> for HTTP errors) and per authorizer', $ct);
    ok(wx_emu_control($emu, 'counters')['authorizers'] === [$x => $ct['authorizers'][$x]], 'counters: all authorizers at once (only those called)');

    // ---- the rate view: token_calls
    $tc = wx_emu_control($emu, 'token_calls');
    ok($tc['count'] === 4 && $tc['ok'] === 1 && array_column($tc['calls'], 'result') === ['0', '61023', '-1', 'http_502']
        && $tc['calls'][0]['appid'] === $x && abs($tc['calls'][0]['real'] - microtime(true)) < 30 && abs($tc['calls'][0]['t'] - $tc['calls'][0]['real']) < 1
        && $tc['calls'][0]['prev_left'] > 7100 && $tc['calls'][1]['prev_left'] === null, 'token_calls: every api_authorizer_token call with both times, result and what the replaced token had left', $tc);
    wx_emu_advance_clock($emu, 7000);
    $y = 'wxemu0000000000043';
    wx_emu_api($emu, AUTHORIZER_TOKEN_API, $rtBody($y), $q);
    wx_emu_api($emu, AUTHORIZER_TOKEN_API, $rtBody($y), $q);
    $tc = wx_emu_control($emu, 'token_calls', ['appid' => $y, 'margin' => 300, 'window' => 3600]);
    ok($tc['count'] === 2 && $tc['calls'][0]['prev_left'] > 100 && $tc['calls'][0]['prev_left'] <= 200 && $tc['calls'][1]['prev_left'] > 7100
        && $tc['early']['count'] === 1 && $tc['early']['first'][0]['seq'] === $tc['calls'][1]['seq'] && $tc['min_gap']['appid'] === $y
        && $tc['min_gap']['seconds'] < 60 && $tc['calls'][0]['t'] - $tc['calls'][0]['real'] > 6999 && $tc['window']['max_t'] === 2,
        'token_calls {appid, margin, window}: a refresh within the margin is fine, the second one is early; min_gap names the account', $tc);
    $tc = wx_emu_control($emu, 'token_calls', ['since_seq' => $tc['calls'][0]['seq'], 'list' => false]);
    ok($tc['count'] === 1 && $tc['calls'] === [], 'token_calls {since_seq, list: false}: counts only what came after');
    $refused('token_calls', ['window' => 0], 'token_calls refuses a window of 0');

    // ---- at scale: 8 processes x 50 refreshes over 10,000 accounts, nothing lost
    wx_emu_control($emu, 'reset');
    $made = wx_emu_control($emu, 'create_authorizers', ['count' => $N]);
    $cat = $newCat();
    [$procsN, $each] = [8, 50];
    $pick = array_map(fn ($i) => $made['authorizers'][($i * 7919) % $N], range(0, $procsN * $each - 1));   // 400 distinct accounts
    $child = <<<'PHP'
        require $argv[1];
        [$base, $cat, $appid, $jobs] = [$argv[2], $argv[3], $argv[4], json_decode($argv[5], true)];
        $bad = 0;
        foreach ($jobs as $a) {
            $r = wx_emu_api(['base' => $base], '/cgi-bin/component/api_authorizer_token', ['component_appid' => $appid,
                'authorizer_appid' => $a['authorizer_appid'], 'authorizer_refresh_token' => $a['authorizer_refresh_token']],
                ['component_access_token' => $cat], 30);
            $bad += isset($r['authorizer_access_token']) ? 0 : 1;
        }
        echo $bad;
        PHP;
    $procs = [];
    $pipes = [];
    for ($i = 0; $i < $procsN; $i++) {
        $procs[] = proc_open([PHP_BINARY, '-r', $child, __DIR__ . '/emulator.inc', $emu['base'], $cat, $cfg['component_appid'],
            json_encode(array_slice($pick, $i * $each, $each))], [1 => ['pipe', 'w']], $pipes[$i]);
    }
    $bad = 0;
    foreach ($procs as $i => $proc) {
        $bad += (int) stream_get_contents($pipes[$i][1]);
        fclose($pipes[$i][1]);
        proc_close($proc);
    }
    $total = $procsN * $each;
    $tc = wx_emu_control($emu, 'token_calls', ['window' => 1, 'margin' => 1, 'list' => false]);
    $ct = wx_emu_control($emu, 'counters');
    $ins = wx_emu_control($emu, 'authorizers');
    ok($bad === 0 && $tc['count'] === $total && $tc['ok'] === $total && $ct['results'][AUTHORIZER_TOKEN_API] === ['0' => $total]
        && count($ct['authorizers']) === $total && array_sum(array_column($ins['list'], 'refreshes')) === $total
        && $ins['summary']['live_tokens'] === $total && $tc['early']['count'] === 0 && $tc['min_gap'] === null,
        "scale: $total concurrent refreshes over $N accounts: every one answered and counted once (rate view, counters, registry)",
        [$bad, $tc['count'], $ct['results'], count($ct['authorizers']), $ins['summary']]);
    $stateDump = wx_emu_control($emu, 'state');
    ok(count($stateDump['authorizers']) === $N && count($stateDump['current']) === $total + 1, 'state: the dump merges every shard');
    wx_emu_control($emu, 'reset');
    ok(wx_emu_control($emu, 'authorizers')['total'] === 0 && wx_emu_control($emu, 'token_calls')['count'] === 0
        && wx_emu_control($emu, 'counters')['authorizers'] === [], 'reset: authorizers, rate view and counters forgotten');

    // ---- stop
    $pid = $emu['pid'];
    $children = wx_emu_children($pid);
    wx_emu_stop($emu);
    $gone = !wx_emu_alive($pid) && !array_filter($children, 'wx_emu_alive');
    ok($gone && ($workers < 2 || count($children) === $workers), 'wx_emu_stop: the server and its ' . count($children) . ' worker(s) are gone');
    ok(!file_exists($emu['state']) && !file_exists($emu['log']), 'wx_emu_stop: state and log files removed');
    $r = wx_emu_http('POST', $emu['base'] . '/__emu/ping', '', 1);
    ok($r['status'] === 0, 'wx_emu_stop: the port no longer answers');
    $emu = null;
} catch (Throwable $e) {
    ok(false, 'unexpected ' . get_class($e), $e->getMessage() . "\n" . $e->getTraceAsString());
    if ($emu !== null && is_file($emu['log'])) {
        $tail = array_slice(file($emu['log'], FILE_IGNORE_NEW_LINES) ?: [], -40);
        echo preg_replace('/^/m', '# log: ', implode("\n", $tail)), "\n";
    }
}

$tap['done'] = true;
echo "1..{$tap['n']}\n";
exit($tap['failed'] ? 1 : 0);
