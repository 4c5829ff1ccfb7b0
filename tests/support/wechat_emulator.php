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
 * authorization codes, refresh tokens, daily quotas. Under /__emu/ it has a
 * control API for tests (push an encrypted ticket, script failures, delays,
 * count calls, create thousands of authorizers, move its clock).
 * tests/support/README.md documents both; tests/support/emulator.inc starts it.
 *
 * Several workers may serve requests at once, so all state lives in files
 * (env WX_EMU_STATE, default <tmp>/wx_emu_<port>.json) and every
 * read-modify-write holds flock(LOCK_EX) on that file. The file itself holds
 * the small core (config, calls, log, tickets, component tokens, quotas);
 * authorizers, their tokens and counters live in EMU_SHARDS shard files next
 * to it (<state>.a000 ...), loaded only when a request touches them, so a
 * request costs the same with 10,000 authorizers as with one (decoding all of
 * it as one JSON document took 120 ms per read+write at 10,000). Calls of
 * api_authorizer_token are appended to <state>.calls, one line each, for the
 * rate view. Delays and hangs sleep outside the lock, so a hanging request
 * blocks only its own worker.
 */

declare(strict_types=1);

require_once __DIR__ . '/ref_crypt.php';

const EMU_AUTHORIZER_TOKEN_PATH = '/cgi-bin/component/api_authorizer_token';
const EMU_COMPONENT_TOKEN_PATH = '/cgi-bin/component/api_component_token';

/** API path => handler. Anything else under the host is a 404. */
const EMU_APIS = [
    EMU_COMPONENT_TOKEN_PATH => 'emu_api_component_token',
    '/cgi-bin/component/api_create_preauthcode' => 'emu_api_create_preauthcode',
    '/cgi-bin/component/api_query_auth' => 'emu_api_query_auth',
    EMU_AUTHORIZER_TOKEN_PATH => 'emu_api_authorizer_token',
    '/cgi-bin/component/api_get_authorizer_info' => 'emu_api_get_authorizer_info',
    '/cgi-bin/component/api_get_authorizer_list' => 'emu_api_get_authorizer_list',
    '/cgi-bin/component/api_start_push_ticket' => 'emu_api_start_push_ticket',
    '/cgi-bin/openapi/quota/get' => 'emu_api_quota_get',
    '/cgi-bin/component/clear_quota/v2' => 'emu_api_component_clear_quota_v2',
    '/cgi-bin/clear_quota/v2' => 'emu_api_clear_quota_v2',
    '/cgi-bin/clear_quota' => 'emu_api_clear_quota',
];

/** The quota resets: never stopped by the daily limit (they have a monthly one). */
const EMU_CLEAR_QUOTA_APIS = [
    '/cgi-bin/component/clear_quota/v2' => true,
    '/cgi-bin/clear_quota/v2' => true,
    '/cgi-bin/clear_quota' => true,
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
    'daily_limit' => 10000,            // calls per API path, account and day; 45009 past it
    'daily_limits' => [],              // {path: limit} overrides
    'clear_quota_monthly_limit' => 10, // successful quota resets per account and month; 48006 past it
];

/** WeChat's own wording for the codes the emulator answers. */
const EMU_ERRMSG = [
    -1 => 'system error',
    40001 => 'invalid credential, access_token is invalid or not latest',
    40013 => 'invalid appid',
    40097 => 'invalid args',
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
    48006 => 'forbid to clear quota because of reaching the limit',
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
const EMU_KEEP_MAX = 200;    // old tokens, tickets and codes remembered per file (oldest dropped)
const EMU_SHARDS = 128;      // authorizer files: ~80 authorizers each at 10,000
const EMU_LIST_MAX = 500;    // api_get_authorizer_list: count is 1..500
const EMU_CREATE_MAX = 100000;
const EMU_TZ = 8 * 3600;     // quota days and months are Beijing time
const EMU_B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

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

/**
 * What one locked section has loaded besides the core: the shard files it
 * touched (written back only when changed), the state's generation (shards
 * of an older generation count as empty, so reset is cheap) and the clock.
 */
final class EmuStore
{
    public static string $gen = '';
    public static float $offset = 0.0;
    /** @var array<int, array> */
    public static array $shards = [];
    /** @var array<int, true> */
    public static array $dirty = [];
    /** Set by a handler for the rate view (api_authorizer_token). */
    public static ?float $prevLeft = null;

    public static function begin(array $st): void
    {
        self::$gen = $st['gen'];
        self::$offset = (float) $st['clock_offset'];
        self::$shards = [];
        self::$dirty = [];
        self::$prevLeft = null;
    }
}

// ---------------------------------------------------------------- state files

function emu_state_path(): string
{
    $path = getenv('WX_EMU_STATE');
    if ($path !== false && $path !== '') {
        return $path;
    }
    return sys_get_temp_dir() . '/wx_emu_' . ($_SERVER['SERVER_PORT'] ?? '0') . '.json';
}

function emu_shard_path(int $i): string
{
    return emu_state_path() . sprintf('.a%03d', $i);
}

function emu_calls_path(): string
{
    return emu_state_path() . '.calls';
}

/**
 * Runs $fn(&$state) with the state file locked and saves the state it leaves
 * (the core and every shard it changed). An empty or unreadable file starts
 * a fresh state with the env config.
 */
function emu_locked(callable $fn): mixed
{
    $fh = fopen(emu_state_path(), 'c+');
    if ($fh === false || !flock($fh, LOCK_EX)) {
        throw new RuntimeException('cannot open and lock ' . emu_state_path());
    }
    try {
        $state = json_decode((string) stream_get_contents($fh), true);
        if (!is_array($state) || !isset($state['config'], $state['gen'])) {
            $state = emu_fresh_state(emu_env_config());
        }
        EmuStore::begin($state);
        $result = $fn($state);
        emu_flush_shards();
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
        'gen' => bin2hex(random_bytes(8)),   // shard files of another generation count as empty
        'clock_offset' => 0.0,      // seconds the emulated clock is ahead of the real one
        'seq' => 0,
        'calls' => [],              // path => API calls received
        'results' => [],            // path => {errcode or "http_<status>" => n}
        'log' => [],                // last EMU_LOG_MAX requests
        'tickets' => [],            // ticket => issued at
        'last_ticket' => null,
        'tokens' => [],             // the component's: token => {owner, issued, expires_at, superseded_at?, revoked?}
        'current' => [],            // owner => token   (authorizers' tokens live in their shard)
        'previous' => [],           // owner => token
        'pre_auth_codes' => [],     // code => expires_at
        'auth_codes' => [],         // code => {authorizer_appid, expires_at, used}
        'push_requests' => [],      // api_start_push_ticket calls that passed the checks
        'quota' => ['day' => '', 'used' => []],  // today's (Beijing) calls: appid => path => n
        'quota_limits' => [],       // appid => path => daily limit (set_quota)
        'clears' => [],             // appid => {month, used}: successful quota resets
        'clear_log' => [],          // the last EMU_LOG_MAX resets
        'omit_all' => [],           // APIs ("list", "info") that leave out every refresh token
        'fails' => [],              // path => [{errcode, errmsg, times}]
        'http_errors' => [],        // path => [{status, body, times}]
        'delays' => [],             // path => [{ms, times}]
    ];
}

function emu_fresh_shard(): array
{
    return ['gen' => EmuStore::$gen, 'authorizers' => [], 'tokens' => [], 'current' => [], 'previous' => [], 'counters' => []];
}

/** Shard $i of the current generation, loaded on first use; $write marks it to be saved. */
function &emu_shard(int $i, bool $write = false): array
{
    if (!isset(EmuStore::$shards[$i])) {
        $path = emu_shard_path($i);
        $shard = is_file($path) ? json_decode((string) file_get_contents($path), true) : null;
        if (!is_array($shard) || ($shard['gen'] ?? null) !== EmuStore::$gen) {
            $shard = emu_fresh_shard();
        }
        EmuStore::$shards[$i] = $shard;
    }
    if ($write) {
        EmuStore::$dirty[$i] = true;
    }
    return EmuStore::$shards[$i];
}

/** Writes the changed shards (a temp file and rename: a crash never leaves half a file). */
function emu_flush_shards(): void
{
    foreach (array_keys(EmuStore::$dirty) as $i) {
        $shard = EmuStore::$shards[$i];
        $shard['gen'] = EmuStore::$gen;
        $path = emu_shard_path($i);
        file_put_contents("$path.tmp", json_encode($shard, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE | JSON_THROW_ON_ERROR));
        rename("$path.tmp", $path);
    }
    EmuStore::$dirty = [];
}

/** Every shard, for the operations that look at all authorizers. */
function emu_all_shards(): Generator
{
    for ($i = 0; $i < EMU_SHARDS; $i++) {
        yield $i => emu_shard($i);
    }
}

function emu_shard_of(string $appid): int
{
    return crc32($appid) % EMU_SHARDS;
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

/** The emulated clock (WeChat's): real time plus what advance_clock added. */
function emu_now(): float
{
    return microtime(true) + EmuStore::$offset;
}

/** Quota days and months follow Beijing time on the emulated clock. */
function emu_day(float $t): string
{
    return gmdate('Ymd', (int) floor($t) + EMU_TZ);
}

function emu_month(float $t): string
{
    return gmdate('Ym', (int) floor($t) + EMU_TZ);
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

/** A required integer field (40097 when absent, 47001 when not a JSON number). */
function emu_int_field(array $body, string $name): int
{
    if (!isset($body[$name])) {
        throw new EmuApiError(40097, "$name missing");
    }
    if (!is_int($body[$name])) {
        throw new EmuApiError(47001, "$name must be a number");
    }
    return $body[$name];
}

/** Keeps the newest EMU_KEEP_MAX entries of a map (insertion order is age order), and every key of $keep. */
function emu_trim(array &$map, array $keep = []): void
{
    $excess = count($map) - EMU_KEEP_MAX;
    if ($excess <= 0) {
        return;
    }
    $keep = array_flip($keep);
    foreach (array_keys($map) as $key) {
        if ($excess <= 0) {
            break;
        }
        if (!isset($keep[$key])) {
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

// -------------------------------------------------------------------- tokens

/*
 * Each owner ("component", "authorizer:<appid>") has a current token and a
 * previous one. The component's tokens live in the core, an authorizer's in
 * its shard; an authorizer token ends in two characters that name its shard,
 * so a token alone finds its record without an index.
 */

/** The arrays (tokens, current, previous) that hold $owner's tokens. */
function &emu_area(array &$st, string $owner, bool $write): array
{
    if (!str_starts_with($owner, 'authorizer:')) {
        return $st;
    }
    return emu_shard(emu_shard_of(substr($owner, strlen('authorizer:'))), $write);
}

function emu_tag(int $shard): string
{
    return EMU_B64[$shard >> 6] . EMU_B64[$shard & 63];
}

/** Where $token is kept: null for the core, a shard number, or false when unknown. */
function emu_token_home(array $st, string $token): int|null|false
{
    if (isset($st['tokens'][$token])) {
        return null;
    }
    if (strlen($token) < 2) {
        return false;
    }
    $hi = strpos(EMU_B64, $token[-2]);
    $lo = strpos(EMU_B64, $token[-1]);
    if ($hi === false || $lo === false) {
        return false;
    }
    $i = (($hi << 6) | $lo) % EMU_SHARDS;
    return isset(emu_shard($i)['tokens'][$token]) ? $i : false;
}

function emu_token_get(array $st, string $token): ?array
{
    $home = emu_token_home($st, $token);
    return match (true) {
        $home === false => null,
        $home === null => $st['tokens'][$token],
        default => emu_shard($home)['tokens'][$token],
    };
}

/** Changes fields of a known token's record. */
function emu_token_set(array &$st, string $token, array $fields): void
{
    $home = emu_token_home($st, $token);
    if ($home === null) {
        $st['tokens'][$token] = $fields + $st['tokens'][$token];
    } elseif ($home !== false) {
        $shard = &emu_shard($home, true);
        $shard['tokens'][$token] = $fields + $shard['tokens'][$token];
    }
}

/**
 * Issues a token for $owner. The owner's current token becomes the previous
 * one (valid for `grace` more seconds); the one before that stops at once.
 */
function emu_issue_token(array &$st, string $owner, int $expiresIn): string
{
    $now = emu_now();
    $area = &emu_area($st, $owner, true);
    if (($old = $area['previous'][$owner] ?? null) !== null && isset($area['tokens'][$old])) {
        $area['tokens'][$old]['revoked'] = true;
    }
    if (($cur = $area['current'][$owner] ?? null) !== null && isset($area['tokens'][$cur])) {
        $area['tokens'][$cur]['superseded_at'] = $now;
        $area['previous'][$owner] = $cur;
    }
    $tag = str_starts_with($owner, 'authorizer:') ? emu_tag(emu_shard_of(substr($owner, 11))) : emu_random(2);
    $token = sprintf('%d_%s%s', 80, emu_random(128), $tag);
    $area['tokens'][$token] = ['owner' => $owner, 'issued' => $now, 'expires_at' => $now + $expiresIn];
    $area['current'][$owner] = $token;
    emu_trim($area['tokens'], array_merge(array_values($area['current']), array_values($area['previous'])));
    return $token;
}

/** Revokes every token of $owner (an unauthorized account). */
function emu_revoke_owner(array &$st, string $owner): void
{
    $area = &emu_area($st, $owner, true);
    foreach ($area['tokens'] as $token => $rec) {
        if ($rec['owner'] === $owner) {
            $area['tokens'][$token]['revoked'] = true;
        }
    }
    unset($area['current'][$owner], $area['previous'][$owner]);
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
    $rec = emu_token_get($st, $token);
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

/** The appid an owner stands for (quotas are counted per appid). */
function emu_owner_appid(array $st, string $owner): string
{
    return str_starts_with($owner, 'authorizer:') ? substr($owner, 11) : $st['config']['component_appid'];
}

// --------------------------------------------------------------- authorizers

function emu_auth_get(string $appid): ?array
{
    return emu_shard(emu_shard_of($appid))['authorizers'][$appid] ?? null;
}

function emu_auth_put(string $appid, array $rec): void
{
    $shard = &emu_shard(emu_shard_of($appid), true);
    $shard['authorizers'][$appid] = $rec;
}

function emu_authorizer(array $st, string $appid): array
{
    $auth = emu_auth_get($appid);
    if ($auth === null || $auth['status'] !== 'authorized') {
        throw new EmuApiError(61003, "authorizer $appid has not authorized this component");
    }
    return $auth;
}

function emu_func_info(array $ids): array
{
    return array_map(fn (int $id) => ['funcscope_category' => ['id' => $id]], $ids);
}

/** Every authorizer (of $status, or all when null) as [appid => rec], in authorization order. */
function emu_authorizers(?string $status = 'authorized'): array
{
    $all = [];
    foreach (emu_all_shards() as $shard) {
        foreach ($shard['authorizers'] as $appid => $rec) {
            if ($status === null || $rec['status'] === $status) {
                $all[(string) $appid] = $rec;
            }
        }
    }
    // By authorization time, then appid (array_multisort: uksort took 10x longer at 10,000).
    $appids = array_map('strval', array_keys($all));
    $times = array_values(array_map(fn (array $rec) => (float) ($rec['authorized_at'] ?? 0), $all));
    array_multisort($times, SORT_ASC, SORT_NUMERIC, $appids, SORT_ASC, SORT_STRING);
    $sorted = [];
    foreach ($appids as $appid) {
        $sorted[$appid] = $all[$appid];
    }
    return $sorted;
}

/** Whether $api ("list" or "info") leaves out this authorizer's refresh token. */
function emu_omits(array $st, array $rec, string $api): bool
{
    return in_array($api, $st['omit_all'], true) || in_array($api, $rec['omit'] ?? [], true);
}

/** A new authorizer record: authorized now, with a refresh token when $refresh. */
function emu_new_authorizer(array $funcInfo, ?string $refresh): array
{
    return ['status' => 'authorized', 'func_info' => array_values($funcInfo), 'refresh_token' => $refresh,
        'authorized_at' => emu_now(), 'refreshes' => 0];
}

// --------------------------------------------------------------------- quota

/** Today's counters (a new day on the emulated clock starts from zero). */
function emu_quota_today(array &$st): void
{
    $day = emu_day(emu_now());
    if ($st['quota']['day'] !== $day) {
        $st['quota'] = ['day' => $day, 'used' => []];
    }
}

function emu_daily_limit(array $st, string $appid, string $path): int
{
    return (int) ($st['quota_limits'][$appid][$path] ?? $st['config']['daily_limits'][$path] ?? $st['config']['daily_limit']);
}

/** Whose quota a call spends: the owner of a token it carries, else the component's. */
function emu_quota_appid(array $st, array $query): string
{
    $token = $query['component_access_token'] ?? $query['access_token'] ?? null;
    $rec = is_string($token) && $token !== '' ? emu_token_get($st, $token) : null;
    return emu_owner_appid($st, $rec['owner'] ?? 'component');
}

/**
 * One successful quota reset for $appid (any of the three APIs: they share
 * the monthly limit). $except: paths whose counts stay.
 */
function emu_clear_quota(array &$st, string $appid, string $api, array $except = []): array
{
    $month = emu_month(emu_now());
    $rec = $st['clears'][$appid] ?? ['month' => $month, 'used' => 0];
    if ($rec['month'] !== $month) {
        $rec = ['month' => $month, 'used' => 0];
    }
    if ($rec['used'] >= $st['config']['clear_quota_monthly_limit']) {
        throw new EmuApiError(48006, "$appid has used its {$st['config']['clear_quota_monthly_limit']} resets of $month");
    }
    $rec['used']++;
    $st['clears'][$appid] = $rec;
    emu_quota_today($st);
    $st['quota']['used'][$appid] = array_intersect_key($st['quota']['used'][$appid] ?? [], array_flip($except));
    $st['clear_log'][] = ['t' => emu_now(), 'real' => microtime(true), 'appid' => $appid, 'api' => $api];
    $st['clear_log'] = array_slice($st['clear_log'], -EMU_LOG_MAX);
    return ['errcode' => 0, 'errmsg' => 'ok'];
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
    emu_auth_put($appid, $auth);
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
    // For the rate view: how long the token this call replaces still had.
    $area = emu_area($st, "authorizer:$appid", false);
    $cur = $area['tokens'][$area['current']["authorizer:$appid"] ?? ''] ?? null;
    if ($cur !== null && empty($cur['revoked']) && $cur['expires_at'] > emu_now()) {
        EmuStore::$prevLeft = $cur['expires_at'] - emu_now();
    }
    if ($st['config']['rotate_refresh_token']) {
        $auth['refresh_token'] = 'refreshtoken@@@' . emu_random(43);
    }
    $auth['refreshes'] = ($auth['refreshes'] ?? 0) + 1;
    emu_auth_put($appid, $auth);
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
    $info = [
        'authorizer_appid' => $appid,
        'authorizer_refresh_token' => $auth['refresh_token'] ?? '',
        'func_info' => emu_func_info($auth['func_info']),
    ];
    if (emu_omits($st, $auth, 'info')) {
        unset($info['authorizer_refresh_token']);
    }
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
        'authorization_info' => $info,
    ];
}

/**
 * Every authorized account, in authorization order, `count` (1..500) from
 * `offset`. An entry leaves out refresh_token when the account has none yet
 * (its code was never exchanged) or omit_refresh_token says so: operators
 * report the field is sometimes absent.
 */
function emu_api_get_authorizer_list(array &$st, array $query, array $body): array
{
    emu_check_token($st, $query, 'component');
    emu_check_component_appid($st, $body);
    $offset = emu_int_field($body, 'offset');
    $count = emu_int_field($body, 'count');
    if ($offset < 0) {
        throw new EmuApiError(40097, 'offset must not be negative');
    }
    if ($count < 1 || $count > EMU_LIST_MAX) {
        throw new EmuApiError(40097, 'count must be 1 to ' . EMU_LIST_MAX);
    }
    $all = emu_authorizers();
    $list = [];
    foreach (array_slice($all, $offset, $count, true) as $appid => $rec) {
        $entry = ['authorizer_appid' => (string) $appid];
        if (($rec['refresh_token'] ?? null) !== null && !emu_omits($st, $rec, 'list')) {
            $entry['refresh_token'] = $rec['refresh_token'];
        }
        $entry['auth_time'] = (int) $rec['authorized_at'];
        $list[] = $entry;
    }
    return ['total_count' => count($all), 'list' => $list];
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
    $rec = emu_check_token($st, $query, null);
    $path = emu_field($body, 'cgi_path', 47001);
    if (!isset(EMU_APIS[$path])) {
        throw new EmuApiError(76021);
    }
    $appid = emu_owner_appid($st, $rec['owner']);
    emu_quota_today($st);
    $limit = emu_daily_limit($st, $appid, $path);
    $used = $st['quota']['used'][$appid][$path] ?? 0;
    return ['errcode' => 0, 'errmsg' => 'ok', 'quota' => [
        'daily_limit' => $limit, 'used' => $used, 'remain' => max(0, $limit - $used),
    ]];
}

/**
 * clearComponentQuotaByAppSecret: the platform resets its own daily counts
 * (no appid) or an authorized account's (appid), with its AppSecret, so it
 * works when no token can be had.
 */
function emu_api_component_clear_quota_v2(array &$st, array $query, array $body): array
{
    $cfg = $st['config'];
    if (emu_field($body, 'component_appid', 41002) !== $cfg['component_appid']) {
        throw new EmuApiError(40013, 'component_appid is not this platform');
    }
    if (emu_field($body, 'appsecret', 41004) !== $cfg['component_appsecret']) {
        throw new EmuApiError(40125);
    }
    $appid = $body['appid'] ?? null;
    if ($appid === null || $appid === '' || $appid === $cfg['component_appid']) {
        return emu_clear_quota($st, $cfg['component_appid'], 'component/clear_quota/v2');
    }
    if (!is_string($appid)) {
        throw new EmuApiError(47001, 'appid must be a string');
    }
    if ((emu_auth_get($appid)['status'] ?? '') !== 'authorized') {
        throw new EmuApiError(40013, "$appid is not an account authorized to this platform");
    }
    return emu_clear_quota($st, $appid, 'component/clear_quota/v2');
}

/**
 * clearQuotaByAppSecret, for an account with its own AppSecret (fields in the
 * body or, as some docs show, the query). WeChat's docs send a platform
 * wanting api_component_token's count back to component/clear_quota/v2, so
 * with the platform's appid this resets every count but that one. The
 * emulator knows no authorizer's AppSecret: for them any secret is wrong.
 */
function emu_api_clear_quota_v2(array &$st, array $query, array $body): array
{
    $in = $body + $query;
    $appid = emu_field($in, 'appid', 41002);
    $secret = emu_field($in, 'appsecret', 41004);
    if ($appid === $st['config']['component_appid']) {
        if ($secret !== $st['config']['component_appsecret']) {
            throw new EmuApiError(40125);
        }
        return emu_clear_quota($st, $appid, 'clear_quota/v2', [EMU_COMPONENT_TOKEN_PATH]);
    }
    if (emu_auth_get($appid) !== null) {
        throw new EmuApiError(40125, 'the emulator knows no AppSecret of an authorizer');
    }
    throw new EmuApiError(40013);
}

/** clearQuota (v1): with the account's own token (component or authorizer) and its appid. */
function emu_api_clear_quota(array &$st, array $query, array $body): array
{
    $rec = emu_check_token($st, $query, null);
    $appid = emu_field($body, 'appid', 41002);
    if ($appid !== emu_owner_appid($st, $rec['owner'])) {
        throw new EmuApiError(40013, 'appid does not match the access_token');
    }
    return emu_clear_quota($st, $appid, 'clear_quota');
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

/**
 * Records how a call ended: its log entry, the counters per path and result,
 * per authorizer (named by the body's authorizer_appid), and for
 * api_authorizer_token a line of the rate view.
 */
function emu_finish(array &$st, array $plan, int $result, bool $http): void
{
    foreach ($st['log'] as $i => $entry) {
        if ($entry['seq'] === $plan['seq']) {
            $st['log'][$i]['result'] = $result;
        }
    }
    $key = $http ? "http_$result" : (string) $result;
    $path = $plan['path'];
    $st['results'][$path][$key] = ($st['results'][$path][$key] ?? 0) + 1;
    $appid = $plan['authorizer'];
    if ($appid !== null) {
        $shard = &emu_shard(emu_shard_of($appid), true);
        $shard['counters'][$appid][$path][$key] = ($shard['counters'][$appid][$path][$key] ?? 0) + 1;
    }
    if ($path === EMU_AUTHORIZER_TOKEN_PATH) {
        $left = EmuStore::$prevLeft === null ? '-' : sprintf('%.3f', EmuStore::$prevLeft);
        file_put_contents(emu_calls_path(), sprintf("%d\t%.3f\t%.3f\t%s\t%s\t%s\n", $plan['seq'], $plan['real'], $plan['t'],
            strtr($appid ?? '', "\t\n", '  '), $key, $left), FILE_APPEND);
    }
}

function emu_handle_api(string $path, string $method, array $query, string $raw): void
{
    $body = json_decode($raw, true);
    $authorizer = is_array($body) && is_string($body['authorizer_appid'] ?? null) && $body['authorizer_appid'] !== ''
        ? $body['authorizer_appid'] : null;
    // Phase 1, under the lock: count and log the call, pick any scripted
    // behaviour, and settle every answer that does not need the API itself.
    $plan = emu_locked(function (array &$st) use ($path, $method, $query, $raw, $body, $authorizer) {
        $st['calls'][$path] = ($st['calls'][$path] ?? 0) + 1;
        $plan = ['seq' => ++$st['seq'], 'path' => $path, 'authorizer' => $authorizer, 't' => emu_now(), 'real' => microtime(true),
            'delay' => emu_take($st['delays'], $path), 'http' => emu_take($st['http_errors'], $path), 'answer' => null];
        $result = null;
        $over = false;
        if (isset(EMU_APIS[$path])) {
            emu_quota_today($st);
            $appid = emu_quota_appid($st, $query);
            $used = $st['quota']['used'][$appid][$path] = ($st['quota']['used'][$appid][$path] ?? 0) + 1;
            $over = !isset(EMU_CLEAR_QUOTA_APIS[$path]) && $used > emu_daily_limit($st, $appid, $path);
        }
        $st['log'][] = [
            'seq' => $plan['seq'], 't' => round($plan['t'], 3), 'real' => round($plan['real'], 3), 'method' => $method,
            'path' => $path, 'query' => $query, 'body' => is_array($body) ? $body : substr($raw, 0, 2000),
            'result' => null,            // errcode, HTTP status for http_error/404, or null until answered
        ];
        $st['log'] = array_slice($st['log'], -EMU_LOG_MAX);
        if ($plan['http'] !== null || !isset(EMU_APIS[$path])) {
            emu_finish($st, $plan, $plan['http']['status'] ?? 404, true);
        } else {
            $fail = emu_take($st['fails'], $path);   // only consumed when it is what answers
            $plan['answer'] = match (true) {
                $fail !== null => emu_error($fail['errcode'], '', $fail['errmsg'] ?? ($fail['errcode'] === 61004
                    ? EMU_ERRMSG[61004] . ' requestIP: ' . ($_SERVER['REMOTE_ADDR'] ?? '127.0.0.1') : null)),
                $method !== 'POST' => emu_error(43002),
                $over => emu_error(45009),
                default => null,
            };
            if ($plan['answer'] !== null) {
                emu_finish($st, $plan, $plan['answer']['errcode'], false);
            }
        }
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
            // clear_quota/v2 may carry its fields in the query alone
            if (trim($raw) === '' && !($path === '/cgi-bin/clear_quota/v2' && isset($query['appid']))) {
                throw new EmuApiError(44002);
            }
            $body = trim($raw) === '' ? [] : $body;
            if (!is_array($body) || ($body !== [] && array_is_list($body))) {
                throw new EmuApiError(47001, 'body is not a JSON object');
            }
            $answer = (EMU_APIS[$path])($st, $query, $body);
        } catch (EmuApiError $e) {
            $answer = emu_error($e->errcode, $e->hint);
            EmuStore::$prevLeft = null;
        }
        emu_finish($st, $plan, $answer['errcode'] ?? 0, false);
        return $answer;
    });
    emu_send(200, $answer);
}

// ----------------------------------------------------------------- pushes

/** Encrypts $xml as WeChat's push to the callback URL: query + AppId/Encrypt body. */
function emu_push(array $cfg, string $xml): array
{
    $crypt = new WxRefCrypt($cfg['token'], $cfg['encoding_aes_key'], $cfg['component_appid']);
    $push = $crypt->push($xml, (string) (int) emu_now(), (string) random_int(100000000, 999999999));
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
    $apiPath = function (bool $star = true) use ($str): string {
        $path = $str('path');
        if (($path !== '*' || !$star) && !isset(EMU_APIS[$path])) {
            throw new EmuControlError("'$path' is not an emulated API path" . ($star ? ' (or "*")' : ''));
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
                EmuStore::begin($st);
                foreach (array_merge(glob(emu_state_path() . '.a[0-9][0-9][0-9]') ?: [], [emu_calls_path()]) as $file) {
                    if (is_file($file)) {
                        unlink($file);
                    }
                }
                return ['ok' => true, 'config' => $st['config']];

            case 'config':
                $st['config'] = emu_config_merge($st['config'], $in);
                return ['ok' => true, 'config' => $st['config']];

            case 'clock':
                return emu_clock($st);

            case 'advance_clock':
                $seconds = $in['seconds'] ?? null;
                if (!(is_int($seconds) || is_float($seconds)) || $seconds < 0) {
                    throw new EmuControlError("'seconds' (a non-negative number) is required: the clock does not go back");
                }
                $st['clock_offset'] += $seconds;
                EmuStore::$offset = (float) $st['clock_offset'];
                return emu_clock($st);

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
                if (isset($in['token'])) {
                    $token = $in['token'];
                } else {
                    $owner = isset($in['authorizer_appid']) ? 'authorizer:' . $str('authorizer_appid') : 'component';
                    $token = emu_area($st, $owner, false)['current'][$owner] ?? null;
                }
                $rec = is_string($token) ? emu_token_get($st, $token) : null;
                if ($rec === null) {
                    throw new EmuControlError('no such token', 404);
                }
                emu_token_set($st, $token, ['expires_at' => $now - 1]);
                return ['ok' => true, 'token' => $token, 'owner' => $rec['owner']];

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

            case 'create_authorizers':
                return emu_control_create_authorizers($st, $in);

            case 'authorizers':
                return emu_control_authorizers($st, $in);

            case 'omit_refresh_token':
                return emu_control_omit($st, $in);

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

            case 'set_quota':
                $path = $apiPath(false);
                if (!array_key_exists('daily_limit', $in) || !(is_int($in['daily_limit']) && $in['daily_limit'] >= 0 || $in['daily_limit'] === null)) {
                    throw new EmuControlError("'daily_limit' (a non-negative integer, or null to remove it) is required");
                }
                $limit = $in['daily_limit'];
                if (isset($in['appid'])) {
                    $appid = $str('appid');
                    if ($limit === null) {
                        unset($st['quota_limits'][$appid][$path]);
                    } else {
                        $st['quota_limits'][$appid][$path] = $limit;
                    }
                } else {
                    $appid = $st['config']['component_appid'];
                    $limits = $st['config']['daily_limits'];
                    if ($limit === null) {
                        unset($limits[$path]);
                    } else {
                        $limits[$path] = $limit;
                    }
                    $st['config']['daily_limits'] = $limits;
                }
                return ['ok' => true, 'appid' => $appid, 'path' => $path, 'daily_limit' => emu_daily_limit($st, $appid, $path)];

            case 'quota':
                return emu_control_quota($st, $in);

            case 'calls':
                // A map, so a JSON object even when empty.
                return (object) (isset($in['path']) ? [$in['path'] => $st['calls'][$in['path']] ?? 0] : $st['calls']);

            case 'counters':
                $authorizers = [];
                if (isset($in['appid'])) {
                    $appid = $str('appid');
                    $authorizers[$appid] = emu_shard(emu_shard_of($appid))['counters'][$appid] ?? [];
                } else {
                    foreach (emu_all_shards() as $shard) {
                        $authorizers += $shard['counters'];
                    }
                }
                // Maps stay JSON objects even when the only key is "0".
                $objects = fn (array $byPath) => (object) array_map(fn (array $m) => (object) $m, $byPath);
                return ['calls' => (object) $st['calls'], 'results' => $objects($st['results']),
                    'authorizers' => (object) array_map($objects, $authorizers)];

            case 'token_calls':
                return emu_control_token_calls($st, $in);

            case 'log':
                $log = array_values(array_filter($st['log'], fn ($e) => !isset($in['path']) || $e['path'] === $in['path']));
                return array_slice($log, -$int('limit', EMU_LOG_MAX));

            case 'state':
                // The core with every shard merged in, as one document (slow with many authorizers).
                $dump = $st;
                $dump['authorizers'] = [];
                foreach (emu_all_shards() as $shard) {
                    $dump['authorizers'] += $shard['authorizers'];
                    $dump['tokens'] += $shard['tokens'];
                    $dump['current'] += $shard['current'];
                    $dump['previous'] += $shard['previous'];
                }
                return $dump;
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

function emu_clock(array $st): array
{
    $now = emu_now();
    return ['now' => $now, 'real' => microtime(true), 'offset' => (float) $st['clock_offset'],
        'day' => emu_day($now), 'month' => emu_month($now)];
}

function emu_check_func_info(mixed $funcInfo): array
{
    if (!is_array($funcInfo) || array_filter($funcInfo, fn ($id) => !is_int($id))) {
        throw new EmuControlError('func_info must be a list of integer ids');
    }
    return array_values($funcInfo);
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
    $old = emu_auth_get($appid) ?? [];
    if ($infoType === 'unauthorized') {
        emu_auth_put($appid, ['status' => 'unauthorized', 'func_info' => [], 'authorized_at' => $old['authorized_at'] ?? $now,
            'unauthorized_at' => $now, 'refreshes' => $old['refreshes'] ?? 0]);
        emu_revoke_owner($st, "authorizer:$appid");
    } else {
        $preAuth = $in['pre_auth_code'] ?? null;
        if ($preAuth !== null && ($st['pre_auth_codes'][$preAuth] ?? 0) <= $now) {
            throw new EmuControlError('pre_auth_code unknown or expired');
        }
        $funcInfo = emu_check_func_info($in['func_info'] ?? [1, 15, 4, 7, 2, 3, 11, 6]);
        $rec = emu_new_authorizer($funcInfo, ($old['status'] ?? '') === 'authorized' ? ($old['refresh_token'] ?? null) : null);
        $rec['refreshes'] = $old['refreshes'] ?? 0;
        emu_auth_put($appid, $rec);
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

/**
 * N accounts authorized at once, as if each had authorized and its code had
 * been exchanged: a refresh token each and, with issue_tokens, an access
 * token whose lifetime is token_expires_in (an int, or [min, max] spread
 * evenly over the accounts in order).
 */
function emu_control_create_authorizers(array &$st, array $in): array
{
    $count = $in['count'] ?? null;
    if (!is_int($count) || $count < 1 || $count > EMU_CREATE_MAX) {
        throw new EmuControlError("'count' must be an integer 1.." . EMU_CREATE_MAX);
    }
    $prefix = $in['prefix'] ?? 'wxemu';
    $start = $in['start'] ?? 0;
    if (!is_string($prefix) || !preg_match('/\A[A-Za-z0-9_-]{1,17}\z/', $prefix) || !is_int($start) || $start < 0) {
        throw new EmuControlError("'prefix' must be 1..17 characters [A-Za-z0-9_-] and 'start' a non-negative integer");
    }
    $funcInfo = emu_check_func_info($in['func_info'] ?? [1, 15, 4, 7, 2, 3, 11, 6]);
    $issue = $in['issue_tokens'] ?? false;
    $spread = $in['token_expires_in'] ?? $st['config']['authorizer_expires_in'];
    if (is_int($spread)) {
        $spread = [$spread, $spread];
    }
    if (!is_bool($issue) || !is_array($spread) || count($spread) !== 2 || !is_int($spread[0] ?? null) || !is_int($spread[1] ?? null)
        || $spread[0] < 0 || $spread[1] < $spread[0]) {
        throw new EmuControlError("'issue_tokens' must be a bool and 'token_expires_in' an int or [min, max] with 0 <= min <= max");
    }
    $return = ($in['return'] ?? true) !== false;
    $digits = max(1, 18 - strlen($prefix));        // appids of 18 characters, like WeChat's
    $out = [];
    for ($i = 0; $i < $count; $i++) {
        $appid = sprintf('%s%0' . $digits . 'd', $prefix, $start + $i);
        $old = emu_auth_get($appid);
        $rec = emu_new_authorizer($funcInfo, 'refreshtoken@@@' . emu_random(43));
        $rec['refreshes'] = $old['refreshes'] ?? 0;
        emu_auth_put($appid, $rec);
        $entry = ['authorizer_appid' => $appid, 'authorizer_refresh_token' => $rec['refresh_token']];
        if ($old !== null) {
            emu_revoke_owner($st, "authorizer:$appid");   // a re-authorization: what it had is gone
        }
        if ($issue) {
            $life = $count === 1 ? $spread[0] : $spread[0] + intdiv(($spread[1] - $spread[0]) * $i, $count - 1);
            $entry['authorizer_access_token'] = emu_issue_token($st, "authorizer:$appid", $life);
            $entry['expires_in'] = $life;
        }
        if ($return) {
            $out[] = $entry;
        }
    }
    return ['ok' => true, 'created' => $count, 'first' => sprintf('%s%0' . $digits . 'd', $prefix, $start),
        'last' => sprintf('%s%0' . $digits . 'd', $prefix, $start + $count - 1), 'authorizers' => $out];
}

/** The authorizers with their refresh token and token expiry, for a test to inspect. */
function emu_control_authorizers(array &$st, array $in): array
{
    $now = emu_now();
    $status = $in['status'] ?? 'authorized';
    if (!in_array($status, ['authorized', 'unauthorized', 'all'], true)) {
        throw new EmuControlError("'status' must be authorized, unauthorized or all");
    }
    $order = $in['order'] ?? 'auth';
    $within = $in['expiring_within'] ?? null;
    $offset = $in['offset'] ?? 0;
    $limit = $in['limit'] ?? null;
    if (!in_array($order, ['auth', 'expiry'], true) || ($within !== null && !is_int($within))
        || !is_int($offset) || $offset < 0 || ($limit !== null && (!is_int($limit) || $limit < 0))) {
        throw new EmuControlError("'order' is auth or expiry; 'expiring_within', 'offset' and 'limit' are non-negative integers");
    }
    if (isset($in['appid'])) {
        $rec = is_string($in['appid']) ? emu_auth_get($in['appid']) : null;
        if ($rec === null) {
            throw new EmuControlError('no such authorizer', 404);
        }
        $all = [$in['appid'] => $rec];
    } else {
        $all = emu_authorizers($status === 'all' ? null : $status);
    }
    $summary = ['authorizers' => 0, 'authorized' => 0, 'unauthorized' => 0, 'live_tokens' => 0, 'expired_tokens' => 0, 'no_token' => 0];
    if ($within !== null) {
        $summary['expiring_within'] = 0;
    }
    $list = [];
    foreach ($all as $appid => $rec) {
        $appid = (string) $appid;
        $area = emu_area($st, "authorizer:$appid", false);
        $token = $area['current']["authorizer:$appid"] ?? null;
        $tok = $token !== null ? ($area['tokens'][$token] ?? null) : null;
        $live = $tok !== null && empty($tok['revoked']) && $tok['expires_at'] > $now;
        $left = $tok !== null ? $tok['expires_at'] - $now : null;
        $summary['authorizers']++;
        $summary[$rec['status'] === 'authorized' ? 'authorized' : 'unauthorized']++;
        $summary[$tok === null ? 'no_token' : ($live ? 'live_tokens' : 'expired_tokens')]++;
        $due = !$live || $left <= $within;
        if ($within !== null) {
            if (!$due) {
                continue;
            }
            $summary['expiring_within']++;
        }
        $list[] = [
            'authorizer_appid' => $appid,
            'status' => $rec['status'],
            'auth_time' => (int) $rec['authorized_at'],
            'refresh_token' => $rec['refresh_token'] ?? null,
            'access_token' => $token,
            'expires_at' => $tok['expires_at'] ?? null,
            'expires_in' => $left === null ? null : (int) floor($left),   // left on the emulated clock; <= 0: expired
            'live' => $live,
            'refreshes' => $rec['refreshes'] ?? 0,
            'omit' => array_values(array_unique(array_merge($st['omit_all'], $rec['omit'] ?? []))),
        ];
    }
    if ($order === 'expiry') {
        usort($list, fn ($a, $b) => [$a['expires_at'] ?? -INF, $a['authorizer_appid']] <=> [$b['expires_at'] ?? -INF, $b['authorizer_appid']]);
    }
    return ['now' => $now, 'summary' => $summary, 'total' => count($list),
        'list' => array_slice($list, $offset, $limit)];
}

/**
 * Which refresh tokens api_get_authorizer_list (and, with apis ["list",
 * "info"], api_get_authorizer_info) leaves out: all, the given appids, or
 * every N-th account of the list. Each call replaces the last; {} clears.
 */
function emu_control_omit(array &$st, array $in): array
{
    $apis = $in['apis'] ?? ['list'];
    if (!is_array($apis) || !$apis || array_diff($apis, ['list', 'info'])) {
        throw new EmuControlError("'apis' must be a non-empty list of \"list\" and \"info\"");
    }
    $apis = array_values(array_unique($apis));
    $all = ($in['all'] ?? false) === true;
    $appids = $in['appids'] ?? [];
    $every = $in['every'] ?? null;
    if (!is_array($appids) || array_filter($appids, fn ($a) => !is_string($a)) || ($every !== null && (!is_int($every) || $every < 1))) {
        throw new EmuControlError("'appids' must be a list of strings and 'every' a positive integer");
    }
    // Forget the last setting first.
    $st['omit_all'] = $all ? $apis : [];
    foreach (emu_all_shards() as $i => $shard) {
        foreach ($shard['authorizers'] as $appid => $rec) {
            if (isset($rec['omit'])) {
                $w = &emu_shard($i, true);
                unset($w['authorizers'][$appid]['omit']);
                unset($w);
            }
        }
    }
    $chosen = [];
    if ($every !== null) {
        $pos = 0;
        foreach (array_keys(emu_authorizers()) as $appid) {
            if (++$pos % $every === 0) {
                $chosen[] = (string) $appid;
            }
        }
    }
    foreach (array_unique(array_merge($chosen, $appids)) as $appid) {
        $rec = emu_auth_get($appid);
        if ($rec === null) {
            throw new EmuControlError("no such authorizer '$appid'", 404);
        }
        $rec['omit'] = $apis;
        emu_auth_put($appid, $rec);
    }
    return ['ok' => true, 'all' => $all, 'apis' => $apis, 'appids' => array_values(array_unique(array_merge($chosen, $appids)))];
}

/** Today's quota use per appid and API, with limits, and this month's resets. */
function emu_control_quota(array &$st, array $in): array
{
    emu_quota_today($st);
    $month = emu_month(emu_now());
    $used = $st['quota']['used'];
    if (isset($in['appid'])) {
        if (!is_string($in['appid'])) {
            throw new EmuControlError("'appid' must be a string");
        }
        $used = [$in['appid'] => $used[$in['appid']] ?? []];
    }
    $out = [];
    foreach ($used as $appid => $paths) {
        foreach ($paths as $path => $n) {
            $limit = emu_daily_limit($st, (string) $appid, $path);
            $out[$appid][$path] = ['used' => $n, 'daily_limit' => $limit, 'remain' => max(0, $limit - $n)];
        }
    }
    $clears = [];
    $max = $st['config']['clear_quota_monthly_limit'];
    foreach ($st['clears'] as $appid => $rec) {
        $n = $rec['month'] === $month ? $rec['used'] : 0;
        $clears[$appid] = ['month' => $month, 'used' => $n, 'limit' => $max, 'remain' => max(0, $max - $n)];
    }
    return ['day' => $st['quota']['day'], 'month' => $month, 'used' => (object) $out, 'clears' => (object) $clears,
        'clear_log' => $st['clear_log']];
}

/**
 * The rate view: every api_authorizer_token call with its arrival time on
 * both clocks, its result, and for a success how long the replaced token
 * still had (prev_left; null when none was live). With window: the most
 * calls in any window of that many seconds; with margin: the successes that
 * replaced a token with more than margin seconds left (early refreshes).
 * min_gap: the shortest emulated time between two successes for one appid.
 */
function emu_control_token_calls(array &$st, array $in): array
{
    $appid = $in['appid'] ?? null;
    $since = $in['since_seq'] ?? 0;
    $window = $in['window'] ?? null;
    $margin = $in['margin'] ?? null;
    foreach (['window' => $window, 'margin' => $margin] as $k => $v) {
        if ($v !== null && !((is_int($v) || is_float($v)) && $v > 0)) {
            throw new EmuControlError("'$k' must be a positive number");
        }
    }
    if (($appid !== null && !is_string($appid)) || !is_int($since)) {
        throw new EmuControlError("'appid' must be a string and 'since_seq' an integer");
    }
    $calls = [];
    $fh = is_file(emu_calls_path()) ? fopen(emu_calls_path(), 'r') : false;
    while ($fh && ($line = fgets($fh)) !== false) {
        $f = explode("\t", rtrim($line, "\n"));
        if (count($f) !== 6 || (int) $f[0] <= $since || ($appid !== null && $f[3] !== $appid)) {
            continue;
        }
        $calls[] = ['seq' => (int) $f[0], 'real' => (float) $f[1], 't' => (float) $f[2], 'appid' => $f[3],
            'result' => $f[4], 'prev_left' => $f[5] === '-' ? null : (float) $f[5]];
    }
    if ($fh) {
        fclose($fh);
    }
    $ok = array_values(array_filter($calls, fn ($c) => $c['result'] === '0'));
    $out = ['count' => count($calls), 'ok' => count($ok)];
    if ($window !== null) {
        $out['window'] = ['seconds' => $window, 'max_real' => emu_max_in_window(array_column($calls, 'real'), $window),
            'max_t' => emu_max_in_window(array_column($calls, 't'), $window)];
    }
    if ($margin !== null) {
        $early = array_values(array_filter($ok, fn ($c) => $c['prev_left'] !== null && $c['prev_left'] > $margin));
        $out['early'] = ['margin' => $margin, 'count' => count($early), 'first' => array_slice($early, 0, 10)];
    }
    $last = [];
    $gap = null;
    foreach ($ok as $c) {
        if (isset($last[$c['appid']]) && ($gap === null || $c['t'] - $last[$c['appid']] < $gap['seconds'])) {
            $gap = ['seconds' => $c['t'] - $last[$c['appid']], 'appid' => $c['appid']];
        }
        $last[$c['appid']] = $c['t'];
    }
    $out['min_gap'] = $gap;
    $out['calls'] = ($in['list'] ?? true) === false ? [] : $calls;
    return $out;
}

/** The most timestamps of $times that fall within any $window seconds. */
function emu_max_in_window(array $times, float $window): int
{
    sort($times);
    $max = 0;
    $lo = 0;
    foreach ($times as $hi => $t) {
        while ($t - $times[$lo] >= $window) {
            $lo++;
        }
        $max = max($max, $hi - $lo + 1);
    }
    return $max;
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
