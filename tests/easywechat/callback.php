<?php
/*
 * Server A: the platform's authorization-event URL, run by a web server
 * (php -S with this file as router). EasyWeChat 6's own Server verifies,
 * decrypts and handles the push from the request globals, and its default
 * handler stores the ticket through the cache.
 *   POST /callback/<cache spec>   the push, as WeChat sends it
 *   GET  /token/<cache spec>      this server's component token (JSON)
 */
declare(strict_types=1);

require (getenv('WX_EW_VENDOR') ?: throw new RuntimeException('WX_EW_VENDOR is not set')) . '/autoload.php';
require __DIR__ . '/app.inc';

$path = (string) parse_url($_SERVER['REQUEST_URI'] ?? '', PHP_URL_PATH);
if (!preg_match('#^/(callback|token)/([\w.-]+)$#', $path, $m)) {
    http_response_code(404);
    echo "no route $path\n";
    return true;
}
try {
    $app = ew_app($m[2]);
    if ($m[1] === 'token') {
        header('Content-Type: application/json');
        echo json_encode(['token' => $app->getComponentAccessToken()->getToken()]);
        return true;
    }
    $response = $app->getServer()->serve();
    http_response_code($response->getStatusCode());
    foreach ($response->getHeaders() as $name => $values) {
        foreach ($values as $v) {
            header("$name: $v", false);
        }
    }
    echo $response->getBody();
} catch (Throwable $e) {
    http_response_code(500);
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
return true;
