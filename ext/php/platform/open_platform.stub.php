<?php

/** @generate-class-entries */

namespace WxRedis;

/**
 * The WeChat Open Platform (third-party platform) ticket and token manager,
 * shared by every server through Redis.
 *
 * Keys and values are EasyWeChat 6's, written through the given cache (its
 * prefix, its wire format), so EasyWeChat and this class can share one
 * Redis; refresh tokens are kept without expiry outside the prefix.
 * WxRedis\Format::keys() lists every key, its role and TTL policy.
 *
 * Tokens are refreshed by one process at a time across all servers (a Redis
 * lock); the others wait for its result instead of calling WeChat.
 *
 * Use WxRedis\OpenPlatform, which the extension declares on first use as a
 * subclass of this one that implements Psr\Log\LoggerAwareInterface when
 * psr/log is autoloadable.
 *
 * @not-serializable
 * @strict-properties
 */
abstract class OpenPlatformBase
{
    /**
     * Code of the WxRedis\InvalidArgumentException thrown for an invalid
     * config (a key missing, unknown or ill-typed) or an app id that cannot
     * be part of a key (in the config, an argument or an answer of WeChat).
     * @var int
     * @cvalue WX_OP_ERR_CONFIG
     */
    public const ERROR_CONFIG = UNKNOWN;

    /**
     * Code of the WxRedis\InvalidArgumentException thrown when no refresh
     * token is stored for an authorizer (it never authorized, or revoked).
     * @var int
     * @cvalue WX_OP_ERR_NO_REFRESH_TOKEN
     */
    public const ERROR_NO_REFRESH_TOKEN = UNKNOWN;

    /**
     * $config: app_id, secret, token, aes_key (required); previous_aes_key,
     * api_base (default https://api.weixin.qq.com), http_timeout (5.0 s, for
     * each WeChat call as a whole), refresh_margin (300 s), lock_timeout
     * (10.0 s), keeper_rate (5 refreshes per second across the fleet, for
     * refreshDue() and recoverRefreshTokens()), clear_quota_interval
     * (86400 s between two clearQuota() resets across the fleet). Anything else, missing
     * or ill-typed throws WxRedis\InvalidArgumentException naming the key
     * (code ERROR_CONFIG).
     */
    public function __construct(array $config, Cache $cache) {}

    /**
     * Handle a push to the authorization-event URL: $query is $_GET, $body
     * the raw POST body. Verifies and decrypts it, then by InfoType stores
     * the ticket (component_verify_ticket), exchanges the authorization code
     * and stores the refresh token (authorized, updateauthorized), or removes
     * the authorizer's tokens (unauthorized); any other InfoType is accepted.
     * $handler, if given, is then called with the decrypted message as an
     * array (as MessageCrypt::parseXml() gives it). Returns "success", the
     * body WeChat expects.
     */
    public function handleCallback(array $query, string $body, ?callable $handler = null): string {}

    /** The stored component_verify_ticket, or null. */
    public function getVerifyTicket(): ?string {}

    /** Store a ticket as a push would (migrations, manual recovery). */
    public function setVerifyTicket(string $ticket): void {}

    /**
     * A valid component_access_token: the cached one, or a new one when it
     * is missing or expires within refresh_margin (one refresh across all
     * servers). Throws TicketException when no ticket is stored.
     */
    public function getComponentAccessToken(): string {}

    /**
     * Drop the cached component token, but only if it is still $token (the
     * one WeChat rejected with 40001/42001). True when it was dropped.
     */
    public function invalidateComponentAccessToken(string $token): bool {}

    /** api_create_preauthcode: a new pre_auth_code. */
    public function createPreAuthCode(): string {}

    /**
     * The authorization page URL (componentloginpage) with a new
     * pre_auth_code; $authType and $bizAppId as WeChat documents them.
     */
    public function getPreAuthorizationUrl(string $redirectUri, ?int $authType = null, ?string $bizAppId = null): string {}

    /**
     * api_query_auth: exchange an authorization code, store the authorizer's
     * refresh token and access token, and return authorization_info.
     */
    public function handleAuthorization(string $authCode): array {}

    /**
     * A valid authorizer_access_token for an account that authorized the
     * platform, refreshed with its stored refresh token when needed.
     */
    public function getAuthorizerAccessToken(string $authorizerAppId): string {}

    /** Like invalidateComponentAccessToken(), for an authorizer's token. */
    public function invalidateAuthorizerAccessToken(string $authorizerAppId, string $token): bool {}

    /** The stored authorizer_refresh_token, or null (export). */
    public function getAuthorizerRefreshToken(string $authorizerAppId): ?string {}

    /** Store an authorizer_refresh_token, without expiry (import). */
    public function setAuthorizerRefreshToken(string $authorizerAppId, string $refreshToken): void {}

    /**
     * Send this platform's events (tickets stored and refused, pushes
     * requested, tokens refreshed, waits for another server's refresh,
     * refresh failures, refresh tokens stored, rotated, removed and
     * recovered, WeChat errors) to a PSR-3 logger: any object with a
     * log($level, $message, $context) method; null removes it. Without
     * one, events go to the cache's logger. Tickets, tokens and secrets
     * are never logged, only their fingerprints (8 hex digits of SHA-256);
     * an exception the logger throws is dropped, never the operation's.
     */
    public function setLogger(?object $logger): void {}

    /**
     * The fleet's state, read from Redis (not this process's): the ticket
     * (age, which server's push stored it), the component token's life
     * left, authorizers known and expiring within refresh_margin, refresh
     * tokens missing, the last refresh error, WeChat calls in the last
     * hour by API and errcode, the servers seen and the differences
     * between them that break a mixed fleet.
     */
    public function health(): array {}

    /**
     * The token keeper's pass: refresh the authorizer tokens that expire
     * within refresh_margin, soonest first (the registry of authorizers
     * sorted by token expiry), at most $limit of them, each under the usual
     * refresh lock (a request refreshing the same token at the same moment
     * makes it one refresh) and each after a slot of keeper_rate per second
     * shared by every server. Returns refreshed, skipped_fresh and
     * skipped_busy (app ids), failed (app id => errcode, message), due (how
     * many are still due), next_due (unix time the next token enters the
     * margin, null when none is known), authorizers, interrupted (a signal
     * stopped the pass), seconds.
     *
     * @return array{refreshed: list<string>, skipped_fresh: list<string>, skipped_busy: list<string>, failed: array<string, array{errcode: int, message: string}>, next_due: ?int, due: int, authorizers: int, interrupted: bool, seconds: float}
     */
    public function refreshDue(int $limit = 100): array {}

    /**
     * Ask WeChat for every authorizer's refresh token (api_get_authorizer_list,
     * pages of 500; api_get_authorizer_info for an entry without one) and
     * store each compare-and-set: written only where the stored one is
     * missing or is still the one read before the call, so one stored
     * meanwhile (newer) stays. One run at a time across all servers (busy
     * true: another one is running, nothing done). Returns recovered (app ids
     * written), unchanged (count), kept (app ids whose stored token changed
     * during the run), failed (app id => why), total (WeChat's total_count),
     * pages, calls (WeChat calls), seconds, busy, interrupted.
     *
     * @return array{recovered: list<string>, unchanged: int, kept: list<string>, failed: array<string, string>, total: int, pages: int, calls: int, seconds: float, busy: bool, interrupted: bool}
     */
    public function recoverRefreshTokens(): array {}

    /**
     * Reset the platform's daily API quota after 45009
     * (component/clear_quota/v2, with the AppSecret). At most once per
     * clear_quota_interval across all servers: a refused call returns
     * cleared false and says when the next is allowed. Returns cleared,
     * last_cleared_at, next_allowed_at (unix times), message. Throws
     * ApiException when WeChat refuses (48006: this month's resets are used
     * up).
     *
     * @return array{cleared: bool, last_cleared_at: int, next_allowed_at: int, message: string}
     */
    public function clearQuota(): array {}
}
