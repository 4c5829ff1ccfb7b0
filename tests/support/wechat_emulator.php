<?php
/*
 * WeChat Open Platform (third-party platform) API emulator.
 *
 * A router script for PHP's built-in server, so tests can talk to "WeChat" on
 * loopback:
 *
 *   PHP_CLI_SERVER_WORKERS=4 WX_EMU_STATE=/tmp/emu.json \
 *       php -n -S 127.0.0.1:8999 tests/support/wechat_emulator.php
 *
 * It answers the documented component APIs (paths, fields, error codes: see
 * ../../../shared/reference/wechat-open-platform.md) and checks what it is sent
 * as WeChat would: secret, last pushed tickets, token validity and expiry,
 * authorization codes, refresh tokens. Under /__emu/ it has a control API for
 * tests (push an encrypted ticket, script failures, delays, count calls).
 * tests/support/README.md documents both; tests/support/emulator.inc starts it.
 *
 * Several workers may serve requests at once, so all state lives in one JSON
 * file (env WX_EMU_STATE, default <tmp>/wx_emu_<port>.json) and every
 * read-modify-write holds flock(LOCK_EX) on it. Delays and hangs sleep outside
 * the lock, so a hanging request blocks only its own worker.
 */

declare(strict_types=1);

require_once __DIR__ . '/ref_crypt.php';

/** API path => handler. Anything else under the host is a 404. */
const EMU_APIS = [
    '/cgi-bin/component/api_component_token' => 'emu_api_component_token',
    '/cgi-bin/component/api_create_preauthcode' => 'emu_api_create_preauthcode',
    '/cgi-bin/component/api_query_auth' => 'emu_api_query_auth',
    '/cgi-bin/component/api_authorizer_token' => 'emu_api_authorizer_token',
    '/cgi-bin/component/api_get_authorizer_info' => 'emu_api_get_authorizer_info',
    '/cgi-bin/component/api_start_push_ticket' => 'emu_api_start_push_ticket',
    '/cgi-bin/openapi/quota/get' => 'emu_api_quota_get',
];

/** Config keys and defaults; each can also come from env WX_EMU_<KEY>. */
const EMU_DEFAULTS = [
    'component_appid' => 'wx0000000000component',
    'component_appsecret' => 'emu-secret',
    'token' => 'emu-token',
    'encoding_aes_key' => 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    'expires_in' => 7200,              // component_access_token lifetime (s)
    'authorizer_expires_in' => 7200,   // authorizer_access_token lifetime (s)
    'pre_auth_code_expires_in' => 600,
    'auth_code_expires_in' => 3600,
    'ticket_lifetime' => 43200,        // a component_verify_ticket stays valid 12 h
    'grace' => 300,                    // the previous token keeps working this long
    'rotate_refresh_token' => false,   // api_authorizer_token returns a new refresh token
    'only_latest_ticket' => false,     // true: only the last pushed ticket is accepted
    'daily_limit' => 10000,            // per API path; 45009 once reached
    'daily_limits' => [],              // {path: limit} overrides
];

/** WeChat's own wording for the codes the emulator answers. */
const EMU_ERRMSG = [
    -1 => 'system error',
    40001 => 'invalid credential, access_token is invalid or not latest',
    40013 => 'invalid appid',
    40125 => 'invalid appsecret',
    41001 => 'access_token missing',
    41002 => 'appid missing',
    41004 => 'appsecret missing',
    42001 => 'access_token expired',
    43002 => 'require POST method',
    44002 => 'empty post data',
    45009 => 'reach max api daily quota limit',
    47001 => 'data format error',
    48001 => 'api unauthorized',
    61003 => 'component is not authorized by this account',
    61004 => 'access clientip is not registered',
    61005 => 'component ticket is expired',
    61006 => 'component ticket is invalid',
    61009 => 'code is invalid',
    61010 => 'code is expired',
    61011 => 'invalid component',
    61023 => 'refresh_token is invalid',
    76021 => 'cgi_path not found, please check',
];

const EMU_LOG_MAX = 200;     // requests kept for /__emu/log
const EMU_KEEP_MAX = 200;    // tokens, tickets and codes remembered (oldest dropped)

/** A WeChat error answer, thrown by handlers. */
final class EmuApiError extends Exception
{
    public function __construct(public readonly int $errcode, public readonly string $hint = '')
    {
        parent::__construct(EMU_ERRMSG[$errcode] ?? 'emulated error');
    }
}

/** A bad control request (HTTP 4xx with {"error": ...}). */
final class EmuControlError extends Exception
{
}

// ---------------------------------------------------------------- state file

function emu_state_path(): string
{
    $path = getenv('WX_EMU_STATE');
    if ($path !== false && $path !== '') {
        return $path;
    }
    return sys_get_temp_dir() . '/wx_emu_' . ($_SERVER['SERVER_PORT'] ?? '0') . '.json';
}

/**
 * Runs $fn(&$state) with the state file locked and saves the state it leaves.
 * An empty or unreadable file starts a fresh state with the env config.
 */
function emu_locked(callable $fn): mixed
{
    $fh = fopen(emu_state_path(), 'c+');
    if ($fh === false || !flock($fh, LOCK_EX)) {
        throw new RuntimeException('cannot open and lock ' . emu_state_path());
    }
    try {
        $state = json_decode((string) stream_get_contents($fh), true);
        if (!is_array($state) || !isset($state['config'])) {
            $state = emu_fresh_state(emu_env_config());
        }
        $result = $fn($state);
        $json = json_encode($state, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE | JSON_THROW_ON_ERROR);
        ftruncate($fh, 0);
        rewind($fh);
        fwrite($fh, $json);
        fflush($fh);
        return $result;
    } finally {
        flock($fh, LOCK_UN);
        fclose($fh);
    }
}

function emu_fresh_state(array $config): array
{
    return [
        'config' => $config,
        'seq' => 0,
        'calls' => [],              // path => API calls received
        'log' => [],                // last EMU_LOG_MAX requests
        'tickets' => [],            // ticket => issued at
        'last_ticket' => null,
        'tokens' => [],             // token => {owner, issued, expires_at, superseded_at?, revoked?}
        'current' => [],            // owner => token   (owner: "component" or "authorizer:<appid>")
        'previous' => [],           // owner => token
        'pre_auth_codes' => [],     // code => expires_at
        'auth_codes' => [],         // code => {authorizer_appid, expires_at, used}
        'authorizers' => [],        // appid => {status, refresh_token, func_info, ...}
        'push_requests' => [],      // api_start_push_ticket calls that passed the checks
        'fails' => [],              // path => [{errcode, errmsg, times}]
        'http_errors' => [],        // path => [{status, body, times}]
        'delays' => [],             // path => [{ms, times}]
    ];
}

function emu_env_config(): array
{
    $config = EMU_DEFAULTS;
    $fromEnv = [];
    foreach (EMU_DEFAULTS as $key => $default) {
        $value = getenv('WX_EMU_' . strtoupper($key));
        if ($value === false || $value === '' || is_array($default)) {
            continue;
        }
        $fromEnv[$key] = match (true) {
            is_bool($default) => filter_var($value, FILTER_VALIDATE_BOOLEAN),
            is_int($default) => (int) $value,
            default => $value,
        };
    }
    $aes = getenv('WX_EMU_AES_KEY');                      // short alias
    if ($aes !== false && $aes !== '' && !isset($fromEnv['encoding_aes_key'])) {
        $fromEnv['encoding_aes_key'] = $aes;
    }
    return emu_config_merge($config, $fromEnv);
}

/** Validates $changes against EMU_DEFAULTS' types and returns the merged config. */
function emu_config_merge(array $config, array $changes): array
{
    foreach ($changes as $key => $value) {
        if (!array_key_exists($key, EMU_DEFAULTS)) {
            throw new EmuControlError("unknown config key '$key'");
        }
        $default = EMU_DEFAULTS[$key];
        $ok = match (true) {
            is_bool($default) => is_bool($value),
            is_int($default) => is_int($value) && $value >= 0,
            is_array($default) => is_array($value),
            default => is_string($value) && $value !== '',
        };
        if (!$ok) {
            throw new EmuControlError("config '$key' must be a " . (is_int($default) ? 'non-negative int' : get_debug_type($default)));
        }
        if ($key === 'encoding_aes_key' && !preg_match('/\A[A-Za-z0-9]{43}\z/', $value)) {
            throw new EmuControlError('encoding_aes_key must be 43 characters [A-Za-z0-9]');
        }
        $config[$key] = $value;
    }
    return $config;
}

// ------------------------------------------------------------------- helpers

function emu_now(): float
{
    return microtime(true);
}

/** Random [A-Za-z0-9_-] text of $len characters, the alphabet of WeChat's tokens. */
function emu_random(int $len): string
{
    return substr(rtrim(strtr(base64_encode(random_bytes($len)), '+/', '-_'), '='), 0, $len);
}

/** WeChat appends a request id to every errmsg. */
function emu_error(int $errcode, string $hint = '', ?string $errmsg = null): array
{
    $msg = $errmsg ?? (EMU_ERRMSG[$errcode] ?? 'emulated error');
    if ($hint !== '') {
        $msg .= " hint: [$hint]";
    }
    $rid = sprintf('%08x-%s-%s', time(), bin2hex(random_bytes(4)), bin2hex(random_bytes(4)));
    return ['errcode' => $errcode, 'errmsg' => "$msg rid: $rid"];
}

/** A required string field of the JSON body; $missing is the errcode when absent. */
function emu_field(array $body, string $name, int $missing): string
{
    $value = $body[$name] ?? null;
    if ($value === null || $value === '') {
        throw new EmuApiError($missing, "$name missing");
    }
    if (!is_string($value)) {
        throw new EmuApiError(47001, "$name must be a string");
    }
    return $value;
}

/** Keeps the newest EMU_KEEP_MAX entries of a map (insertion order is age order). */
function emu_trim(array &$map, array $keep = []): void
{
    $excess = count($map) - EMU_KEEP_MAX;
    foreach (array_keys($map) as $key) {
        if ($excess <= 0) {
            break;
        }
        if (!in_array($key, $keep, true)) {
            unset($map[$key]);
            $excess--;
        }
    }
}

function emu_check_component_appid(array $st, array $body): void
{
    if (emu_field($body, 'component_appid', 41002) !== $st['config']['component_appid']) {
        throw new EmuApiError(61011, 'component_appid does not match the token');
    }
}

/**
 * Issues a token for $owner. The owner's current token becomes the previous
 * one (valid for `grace` more seconds); the one before that stops at once.
 */
function emu_issue_token(array &$st, string $owner, int $expiresIn): string
{
    $now = emu_now();
    if (($old = $st['previous'][$owner] ?? null) !== null && isset($st['tokens'][$old])) {
        $st['tokens'][$old]['revoked'] = true;
    }
    if (($cur = $st['current'][$owner] ?? null) !== null && isset($st['tokens'][$cur])) {
        $st['tokens'][$cur]['superseded_at'] = $now;
        $st['previous'][$owner] = $cur;
    }
    $token = sprintf('%d_%s', 80, emu_random(130));
    $st['tokens'][$token] = ['owner' => $owner, 'issued' => $now, 'expires_at' => $now + $expiresIn];
    $st['current'][$owner] = $token;
    emu_trim($st['tokens'], array_merge(array_values($st['current']), array_values($st['previous'])));
    return $token;
}

/** Revokes every token of $owner (an unauthorized account). */
function emu_revoke_owner(array &$st, string $owner): void
{
    foreach ($st['tokens'] as $token => $rec) {
        if ($rec['owner'] === $owner) {
            $st['tokens'][$token]['revoked'] = true;
        }
    }
    unset($st['current'][$owner], $st['previous'][$owner]);
}

/**
 * Checks the access token of the query string: component_access_token= (the
 * older docs) or access_token= (the newer ones). $kind: "component",
 * "authorizer" or null for either. Returns the token's record.
 */
function emu_check_token(array $st, array $query, ?string $kind): array
{
    $token = $query['component_access_token'] ?? $query['access_token'] ?? null;
    if (!is_string($token) || $token === '') {
        throw new EmuApiError(41001);
    }
    $rec = $st['tokens'][$token] ?? null;
    if ($rec === null || ($kind !== null && !str_starts_with($rec['owner'], $kind))) {
        throw new EmuApiError(40001);
    }
    if ($rec['expires_at'] <= emu_now()) {
        throw new EmuApiError(42001);
    }
    if (!empty($rec['revoked'])
        || (isset($rec['superseded_at']) && emu_now() >= $rec['superseded_at'] + $st['config']['grace'])) {
        throw new EmuApiError(40001);
    }
    return $rec;
}

function emu_authorizer(array $st, string $appid): array
{
    $auth = $st['authorizers'][$appid] ?? null;
    if ($auth === null || $auth['status'] !== 'authorized') {
        throw new EmuApiError(61003, "authorizer $appid has not authorized this component");
    }
    return $auth;
}

function emu_func_info(array $ids): array
{
    return array_map(fn (int $id) => ['funcscope_category' => ['id' => $id]], $ids);
}

// ---------------------------------------------------------------------- APIs

function emu_api_component_token(array &$st, array $query, array $body): array
{
    $cfg = $st['config'];
    if (emu_field($body, 'component_appid', 41002) !== $cfg['component_appid']) {
        throw new EmuApiError(40013);
    }
    if (emu_field($body, 'component_appsecret', 41004) !== $cfg['component_appsecret']) {
        throw new EmuApiError(40125);
    }
    $ticket = emu_field($body, 'component_verify_ticket', 61006);
    $issued = $st['tickets'][$ticket] ?? null;
    if ($issued === null || ($cfg['only_latest_ticket'] && $ticket !== $st['last_ticket'])) {
        throw new EmuApiError(61006);
    }
    if (emu_now() - $issued > $cfg['ticket_lifetime']) {
        throw new EmuApiError(61005);
    }
    return [
        'component_access_token' => emu_issue_token($st, 'component', $cfg['expires_in']),
        'expires_in' => $cfg['expires_in'],
    ];
}

function emu_api_create_preauthcode(array &$st, array $query, array $body): array
{
    emu_check_token($st, $query, 'component');
    emu_check_component_appid($st, $body);
    $code = 'preauthcode@@@' . emu_random(64);
    $st['pre_auth_codes'][$code] = emu_now() + $st['config']['pre_auth_code_expires_in'];
    emu_trim($st['pre_auth_codes']);
    return ['pre_auth_code' => $code, 'expires_in' => $st['config']['pre_auth_code_expires_in']];
}

function emu_api_query_auth(array &$st, array $query, array $body): array
{
    emu_check_token($st, $query, 'component');
    emu_check_component_appid($st, $body);
    $code = emu_field($body, 'authorization_code', 61009);
    $rec = $st['auth_codes'][$code] ?? null;
    if ($rec === null) {
        throw new EmuApiError(61009);
    }
    if ($rec['used']) {
        throw new EmuApiError(61010, 'authorization_code already used');
    }
    if ($rec['expires_at'] <= emu_now()) {
        throw new EmuApiError(61010);
    }
    $appid = $rec['authorizer_appid'];
    $auth = emu_authorizer($st, $appid);
    $st['auth_codes'][$code]['used'] = true;
    // A (re)authorization hands out a new refresh token; the old one stops working.
    $auth['refresh_token'] = 'refreshtoken@@@' . emu_random(43);
    $st['authorizers'][$appid] = $auth;
    $expiresIn = $st['config']['authorizer_expires_in'];
    return ['authorization_info' => [
        'authorizer_appid' => $appid,
        'authorizer_access_token' => emu_issue_token($st, "authorizer:$appid", $expiresIn),
        'expires_in' => $expiresIn,
        'authorizer_refresh_token' => $auth['refresh_token'],
        'func_info' => emu_func_info($auth['func_info']),
    ]];
}

function emu_api_authorizer_token(array &$st, array $query, array $body): array
{
    emu_check_token($st, $query, 'component');
    emu_check_component_appid($st, $body);
    $appid = emu_field($body, 'authorizer_appid', 41002);
    $refresh = emu_field($body, 'authorizer_refresh_token', 61023);
    $auth = emu_authorizer($st, $appid);
    if (!hash_equals($auth['refresh_token'] ?? '', $refresh)) {
        throw new EmuApiError(61023);
    }
    if ($st['config']['rotate_refresh_token']) {
        $auth['refresh_token'] = 'refreshtoken@@@' . emu_random(43);
        $st['authorizers'][$appid] = $auth;
    }
    $expiresIn = $st['config']['authorizer_expires_in'];
    return [
        'authorizer_access_token' => emu_issue_token($st, "authorizer:$appid", $expiresIn),
        'expires_in' => $expiresIn,
        'authorizer_refresh_token' => $auth['refresh_token'],
    ];
}

function emu_api_get_authorizer_info(array &$st, array $query, array $body): array
{
    emu_check_token($st, $query, 'component');
    emu_check_component_appid($st, $body);
    $appid = emu_field($body, 'authorizer_appid', 41002);
    $auth = emu_authorizer($st, $appid);
    return [
        'authorizer_info' => [
            'nick_name' => "Emulated account $appid",
            'head_img' => 'http://wx.qlogo.cn/mmopen/emulator/0',
            'service_type_info' => ['id' => 2],
            'verify_type_info' => ['id' => 0],
            'user_name' => 'gh_' . substr(sha1($appid), 0, 12),
            'principal_name' => 'Emulated Principal Ltd.',
            'alias' => '',
            'business_info' => ['open_store' => 0, 'open_scan' => 0, 'open_pay' => 0, 'open_card' => 0, 'open_shake' => 0],
            'qrcode_url' => 'http://mmbiz.qpic.cn/mmbiz/emulator/0',
            'account_status' => 1,
            'idc' => 1,
        ],
        'authorization_info' => [
            'authorizer_appid' => $appid,
            'authorizer_refresh_token' => $auth['refresh_token'] ?? '',
            'func_info' => emu_func_info($auth['func_info']),
        ],
    ];
}

function emu_api_start_push_ticket(array &$st, array $query, array $body): array
{
    $cfg = $st['config'];
    if (emu_field($body, 'component_appid', 41002) !== $cfg['component_appid']) {
        throw new EmuApiError(40013);
    }
    if (!isset($body['component_secret']) && isset($body['component_appsecret'])) {
        throw new EmuApiError(41004, 'component_secret missing (this API does not read component_appsecret)');
    }
    if (emu_field($body, 'component_secret', 41004) !== $cfg['component_appsecret']) {
        throw new EmuApiError(40125);
    }
    $st['push_requests'][] = ['t' => emu_now()];
    $st['push_requests'] = array_slice($st['push_requests'], -EMU_LOG_MAX);
    return ['errcode' => 0, 'errmsg' => 'ok'];
}

function emu_api_quota_get(array &$st, array $query, array $body): array
{
    emu_check_token($st, $query, null);
    $path = emu_field($body, 'cgi_path', 47001);
    if (!isset(EMU_APIS[$path])) {
        throw new EmuApiError(76021);
    }
    $limit = emu_daily_limit($st, $path);
    $used = $st['calls'][$path] ?? 0;
    return ['errcode' => 0, 'errmsg' => 'ok', 'quota' => [
        'daily_limit' => $limit, 'used' => $used, 'remain' => max(0, $limit - $used),
    ]];
}

function emu_daily_limit(array $st, string $path): int
{
    return (int) ($st['config']['daily_limits'][$path] ?? $st['config']['daily_limit']);
}

// ------------------------------------------------------------ API dispatcher

/** Pops the next scripted entry for $path (or "*") from a queue; times -1 = forever. */
function emu_take(array &$queues, string $path): ?array
{
    foreach ([$path, '*'] as $key) {
        if (empty($queues[$key])) {
            continue;
        }
        $entry = $queues[$key][0];
        if ($entry['times'] > 0 && --$queues[$key][0]['times'] === 0) {
            array_shift($queues[$key]);
            if (!$queues[$key]) {
                unset($queues[$key]);
            }
        }
        return $entry;
    }
    return null;
}

function emu_handle_api(string $path, string $method, array $query, string $raw): void
{
    $body = json_decode($raw, true);
    // Phase 1, under the lock: count and log the call, pick any scripted
    // behaviour, and settle every answer that does not need the API itself.
    $plan = emu_locked(function (array &$st) use ($path, $method, $query, $raw, $body) {
        $st['calls'][$path] = ($st['calls'][$path] ?? 0) + 1;
        $plan = ['seq' => ++$st['seq'], 'delay' => emu_take($st['delays'], $path),
            'http' => emu_take($st['http_errors'], $path), 'answer' => null];
        if ($plan['http'] !== null || !isset(EMU_APIS[$path])) {
            $result = $plan['http']['status'] ?? 404;
        } else {
            $fail = emu_take($st['fails'], $path);   // only consumed when it is what answers
            $plan['answer'] = match (true) {
                $fail !== null => emu_error($fail['errcode'], '', $fail['errmsg'] ?? ($fail['errcode'] === 61004
                    ? EMU_ERRMSG[61004] . ' requestIP: ' . ($_SERVER['REMOTE_ADDR'] ?? '127.0.0.1') : null)),
                $method !== 'POST' => emu_error(43002),
                $st['calls'][$path] > emu_daily_limit($st, $path) => emu_error(45009),
                default => null,
            };
            $result = $plan['answer']['errcode'] ?? null;
        }
        $st['log'][] = [
            'seq' => $plan['seq'], 't' => round(emu_now(), 3), 'method' => $method, 'path' => $path,
            'query' => $query, 'body' => is_array($body) ? $body : substr($raw, 0, 2000),
            'result' => $result,         // errcode, HTTP status for http_error/404, or null until answered
        ];
        $st['log'] = array_slice($st['log'], -EMU_LOG_MAX);
        return $plan;
    });
    if ($plan['delay'] !== null) {
        usleep($plan['delay']['ms'] * 1000);      // outside the lock: blocks this worker only
    }
    if ($plan['http'] !== null) {
        emu_send_raw($plan['http']['status'], $plan['http']['body'], 'text/html; charset=utf-8');
        return;
    }
    if (!isset(EMU_APIS[$path])) {
        emu_send(404, ['errcode' => 404, 'errmsg' => "the emulator does not implement $path"]);
        return;
    }
    // Phase 2: the API itself, which reads and changes the state.
    $answer = $plan['answer'] ?? emu_locked(function (array &$st) use ($path, $query, $raw, $body, $plan) {
        try {
            if (trim($raw) === '') {
                throw new EmuApiError(44002);
            }
            if (!is_array($body) || ($body !== [] && array_is_list($body))) {
                throw new EmuApiError(47001, 'body is not a JSON object');
            }
            $answer = (EMU_APIS[$path])($st, $query, $body);
        } catch (EmuApiError $e) {
            $answer = emu_error($e->errcode, $e->hint);
        }
        foreach ($st['log'] as $i => $entry) {
            if ($entry['seq'] === $plan['seq']) {
                $st['log'][$i]['result'] = $answer['errcode'] ?? 0;
            }
        }
        return $answer;
    });
    emu_send(200, $answer);
}

// ----------------------------------------------------------------- pushes

/** Encrypts $xml as WeChat's push to the callback URL: query + AppId/Encrypt body. */
function emu_push(array $cfg, string $xml): array
{
    $crypt = new WxRefCrypt($cfg['token'], $cfg['encoding_aes_key'], $cfg['component_appid']);
    $push = $crypt->push($xml, (string) time(), (string) random_int(100000000, 999999999));
    return ['query' => $push['query'], 'body' => $push['body'], 'plaintext' => $xml];
}

/** <xml> with the given elements; strings in CDATA unless $cdata is false. */
function emu_xml(array $fields, bool $cdata): string
{
    $out = '<xml>';
    foreach ($fields as $name => $value) {
        $text = is_int($value) ? (string) $value
            : ($cdata ? '<![CDATA[' . str_replace(']]>', ']]]]><![CDATA[>', $value) . ']]>' : htmlspecialchars($value, ENT_XML1));
        $out .= "<$name>$text</$name>";
    }
    return $out . '</xml>';
}

// -------------------------------------------------------------- control API

function emu_control(string $op, array $in): array|object
{
    $str = function (string $key, ?string $default = null) use ($in): string {
        $value = $in[$key] ?? $default;
        if (!is_string($value) || $value === '') {
            throw new EmuControlError("'$key' (a non-empty string) is required");
        }
        return $value;
    };
    $int = function (string $key, ?int $default = null) use ($in): int {
        $value = $in[$key] ?? $default;
        if (!is_int($value)) {
            throw new EmuControlError("'$key' (an integer) is required");
        }
        return $value;
    };

    // Scripted behaviour applies to an emulated API path or "*" (all of them);
    // a typo must not silently script nothing.
    $apiPath = function () use ($str): string {
        $path = $str('path');
        if ($path !== '*' && !isset(EMU_APIS[$path])) {
            throw new EmuControlError("'$path' is not an emulated API path (or \"*\")");
        }
        return $path;
    };

    return emu_locked(function (array &$st) use ($op, $in, $str, $int, $apiPath) {
        $now = emu_now();
        switch ($op) {
            case 'ping':
                return ['ok' => true, 'pid' => getmypid()];

            case 'reset':
                $st = emu_fresh_state(($in['keep_config'] ?? true) ? $st['config'] : emu_env_config());
                return ['ok' => true, 'config' => $st['config']];

            case 'config':
                $st['config'] = emu_config_merge($st['config'], $in);
                return ['ok' => true, 'config' => $st['config']];

            case 'push_ticket':
                $ticket = isset($in['ticket']) ? $str('ticket') : 'ticket@@@' . emu_random(86);
                $st['tickets'][$ticket] = $now;
                $st['last_ticket'] = $ticket;
                emu_trim($st['tickets'], [$ticket]);
                $xml = emu_xml([
                    'AppId' => $st['config']['component_appid'],
                    'CreateTime' => (int) $now,
                    'InfoType' => 'component_verify_ticket',
                    'ComponentVerifyTicket' => $ticket,
                ], ($in['cdata'] ?? true) !== false);
                return ['ticket' => $ticket] + emu_push($st['config'], $xml);

            case 'push_event':
                return emu_push($st['config'], $str('xml'));

            case 'age_ticket':
                $ticket = $in['ticket'] ?? $st['last_ticket'];
                if (!is_string($ticket) || !isset($st['tickets'][$ticket])) {
                    throw new EmuControlError('no such ticket', 404);
                }
                $st['tickets'][$ticket] -= $int('seconds');
                return ['ticket' => $ticket, 'age' => $now - $st['tickets'][$ticket]];

            case 'expire_token':
                $token = $in['token'] ?? $st['current'][isset($in['authorizer_appid'])
                    ? 'authorizer:' . $str('authorizer_appid') : 'component'] ?? null;
                if (!is_string($token) || !isset($st['tokens'][$token])) {
                    throw new EmuControlError('no such token', 404);
                }
                $st['tokens'][$token]['expires_at'] = $now - 1;
                return ['ok' => true, 'token' => $token, 'owner' => $st['tokens'][$token]['owner']];

            case 'expire_code':
                $code = $str('code');
                if (isset($st['pre_auth_codes'][$code])) {
                    $st['pre_auth_codes'][$code] = $now - 1;
                } elseif (isset($st['auth_codes'][$code])) {
                    $st['auth_codes'][$code]['expires_at'] = $now - 1;
                } else {
                    throw new EmuControlError('no such code', 404);
                }
                return ['ok' => true];

            case 'authorize':
                return emu_control_authorize($st, $in, $str('authorizer_appid'), $str('info_type', 'authorized'));

            case 'fail':
                $st['fails'][$apiPath()][] = [
                    'errcode' => $int('errcode'),
                    'errmsg' => isset($in['errmsg']) ? $str('errmsg') : null,
                    'times' => emu_times($int('times', 1)),
                ];
                return ['ok' => true];

            case 'http_error':
                $status = $int('status');
                if ($status < 100 || $status > 599) {
                    throw new EmuControlError('status must be 100..599');
                }
                $st['http_errors'][$apiPath()][] = [
                    'status' => $status,
                    'body' => isset($in['body']) ? (string) $in['body'] : "<html><body>$status emulated</body></html>",
                    'times' => emu_times($int('times', 1)),
                ];
                return ['ok' => true];

            case 'delay':
            case 'hang':
                $ms = $op === 'delay' ? $int('ms') : $int('seconds') * 1000;
                $path = $apiPath();
                unset($st['delays'][$path]);
                if ($ms > 0) {
                    $st['delays'][$path][] = ['ms' => $ms, 'times' => emu_times($int('times', -1))];
                }
                return ['ok' => true];

            case 'clear_fail':
                foreach (['fails', 'http_errors', 'delays'] as $key) {
                    if (isset($in['path'])) {
                        unset($st[$key][$str('path')]);
                    } else {
                        $st[$key] = [];
                    }
                }
                return ['ok' => true];

            case 'calls':
                // A map, so a JSON object even when empty.
                return (object) (isset($in['path']) ? [$in['path'] => $st['calls'][$in['path']] ?? 0] : $st['calls']);

            case 'log':
                $log = array_values(array_filter($st['log'], fn ($e) => !isset($in['path']) || $e['path'] === $in['path']));
                return array_slice($log, -$int('limit', EMU_LOG_MAX));

            case 'state':
                return $st;
        }
        throw new EmuControlError("unknown control operation '$op'", 404);
    });
}

function emu_times(int $times): int
{
    if ($times === 0 || $times < -1) {
        throw new EmuControlError("'times' must be positive or -1 (until cleared)");
    }
    return $times;
}

/** The authorization events, as WeChat pushes them after the merchant acts. */
function emu_control_authorize(array &$st, array $in, string $appid, string $infoType): array
{
    if (!in_array($infoType, ['authorized', 'updateauthorized', 'unauthorized'], true)) {
        throw new EmuControlError('info_type must be authorized, updateauthorized or unauthorized');
    }
    $now = emu_now();
    $fields = [
        'AppId' => $st['config']['component_appid'],
        'CreateTime' => (int) $now,
        'InfoType' => $infoType,
        'AuthorizerAppid' => $appid,
    ];
    $answer = ['authorizer_appid' => $appid, 'info_type' => $infoType];
    if ($infoType === 'unauthorized') {
        $st['authorizers'][$appid] = ['status' => 'unauthorized', 'func_info' => []];
        emu_revoke_owner($st, "authorizer:$appid");
    } else {
        $preAuth = $in['pre_auth_code'] ?? null;
        if ($preAuth !== null && ($st['pre_auth_codes'][$preAuth] ?? 0) <= $now) {
            throw new EmuControlError('pre_auth_code unknown or expired');
        }
        $funcInfo = $in['func_info'] ?? [1, 15, 4, 7, 2, 3, 11, 6];
        if (!is_array($funcInfo) || array_filter($funcInfo, fn ($id) => !is_int($id))) {
            throw new EmuControlError('func_info must be a list of integer ids');
        }
        $old = $st['authorizers'][$appid] ?? [];
        $st['authorizers'][$appid] = ['status' => 'authorized', 'func_info' => array_values($funcInfo),
            'refresh_token' => ($old['status'] ?? '') === 'authorized' ? ($old['refresh_token'] ?? null) : null,
            'authorized_at' => $now];
        $code = 'queryauthcode@@@' . emu_random(86);
        $expiresAt = (int) $now + $st['config']['auth_code_expires_in'];
        $st['auth_codes'][$code] = ['authorizer_appid' => $appid, 'expires_at' => $expiresAt, 'used' => false];
        emu_trim($st['auth_codes']);
        $fields += [
            'AuthorizationCode' => $code,
            'AuthorizationCodeExpiredTime' => $expiresAt,
            'PreAuthCode' => $preAuth ?? 'preauthcode@@@' . emu_random(64),
        ];
        $answer['authorization_code'] = $code;
    }
    return $answer + emu_push($st['config'], emu_xml($fields, ($in['cdata'] ?? true) !== false));
}

// -------------------------------------------------------------------- main

function emu_send(int $status, array|object $answer): void
{
    emu_send_raw($status, json_encode($answer,
        JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE), 'application/json; encoding=utf-8');
}

function emu_send_raw(int $status, string $body, string $type): void
{
    http_response_code($status);
    header("Content-Type: $type");
    header('Content-Length: ' . strlen($body));
    echo $body;
}

function emu_main(): void
{
    set_error_handler(function (int $no, string $msg, string $file, int $line): bool {
        throw new ErrorException($msg, 0, $no, $file, $line);
    });
    $path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) ?: '/';
    $method = $_SERVER['REQUEST_METHOD'] ?? 'GET';
    $raw = (string) file_get_contents('php://input');
    try {
        if (str_starts_with($path, '/__emu/')) {
            $in = trim($raw) === '' ? [] : json_decode($raw, true);
            if (!is_array($in)) {
                throw new EmuControlError('control body must be a JSON object');
            }
            emu_send(200, emu_control(substr($path, strlen('/__emu/')), $in));
        } else {
            emu_handle_api($path, $method, $_GET, $raw);
        }
    } catch (EmuControlError $e) {
        emu_send($e->getCode() ?: 400, ['error' => $e->getMessage()]);
    } catch (Throwable $e) {
        error_log('wechat_emulator: ' . $e);
        emu_send(500, ['error' => get_class($e) . ': ' . $e->getMessage() . ' at ' . basename($e->getFile()) . ':' . $e->getLine()]);
    }
}

emu_main();
return true;
