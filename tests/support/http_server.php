<?php
/*
 * A scripted HTTP/1.1 server for the HTTP client's tests, for what PHP's
 * built-in server (the WeChat emulator) cannot do: chunked answers, bytes
 * trickling past a timeout, cut or oversized answers, TLS.
 *
 *   php http_server.php [--tls CERT KEY]
 *
 * Listens on a free loopback port and prints it on stdout, then serves
 * one connection at a time until killed. The first segment of the request
 * path picks the behaviour (api_base = "http://127.0.0.1:PORT/<mode>"):
 *
 *   echo       200, Content-Length: the request (head and body) base64 in
 *              every token field WeChat's APIs answer with
 *   chunked    200, chunked, in 1-, 3- and 7-byte chunks with an extension
 *              and a trailer: {"component_access_token":"tok-chunked",...}
 *   continue   100 Continue, then 200 with a token
 *   trickle    200 and Content-Length 100, then one body byte every 200 ms
 *   slowhead   the status line one byte every 200 ms
 *   big        200 with a 5 MiB body (Content-Length)
 *   bigchunked 200 with 5 MiB in 64 KiB chunks
 *   close      closes without answering
 *   cut        Content-Length 100, 10 bytes, then closes
 *   garbage    bytes that are not HTTP
 */

$tls = ($argv[1] ?? '') === '--tls';
$ctx = stream_context_create($tls ? ['ssl' => ['local_cert' => $argv[2], 'local_pk' => $argv[3]]] : []);
$server = stream_socket_server(($tls ? 'tls' : 'tcp') . '://127.0.0.1:0', $errno, $errstr,
    STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
if (!$server) {
    fwrite(STDERR, "http_server: $errstr\n");
    exit(1);
}
$name = stream_socket_get_name($server, false);
echo substr($name, strrpos($name, ':') + 1), "\n";
fflush(STDOUT);

const TOKEN_FIELDS = ['component_access_token', 'pre_auth_code', 'authorizer_access_token'];

function token_json(string $value): string
{
    return json_encode(array_fill_keys(TOKEN_FIELDS, $value) + ['expires_in' => 7200]);
}

/** The request head and body, or null when the client went away. */
function read_request($c): ?array
{
    $head = '';
    while (!str_contains($head, "\r\n\r\n")) {
        $line = fgets($c);
        if ($line === false) return null;
        $head .= $line;
    }
    $body = '';
    if (preg_match('/^Content-Length: *(\d+)/mi', $head, $m) && (int) $m[1] > 0) {
        $body = stream_get_contents($c, (int) $m[1]);
    }
    return [$head, $body];
}

function send($c, string $bytes): bool
{
    return @fwrite($c, $bytes) === strlen($bytes);
}

function answer(string $body, string $status = '200 OK', array $headers = []): string
{
    return "HTTP/1.1 $status\r\nContent-Type: application/json\r\nContent-Length: " . strlen($body) . "\r\n"
        . implode('', array_map(fn ($h) => "$h\r\n", $headers)) . "Connection: close\r\n\r\n$body";
}

while (true) {
    $c = @stream_socket_accept($server, -1);
    if (!$c) continue;                       // a client that refused our certificate
    stream_set_timeout($c, 10);
    $req = read_request($c);
    if ($req === null) { fclose($c); continue; }
    [$head, $body] = $req;
    preg_match('#^POST /([a-z]+)#', $head, $m);
    switch ($m[1] ?? '') {
        case 'echo':
            send($c, answer(token_json(base64_encode($head . $body))));
            break;
        case 'chunked':
            $json = token_json('tok-chunked');
            $out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            for ($i = 0, $k = 0; $i < strlen($json); $i += $n, $k++) {
                $n = [1, 3, 7][$k % 3];
                $piece = substr($json, $i, $n);
                $out .= dechex(strlen($piece)) . ($k === 1 ? ';ext=1' : '') . "\r\n$piece\r\n";
            }
            send($c, $out . "0\r\nX-Trailer: 1\r\n\r\n");
            break;
        case 'continue':
            send($c, "HTTP/1.1 100 Continue\r\n\r\n" . answer(token_json('tok-continue')));
            break;
        case 'trickle':
            send($c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
            for ($i = 0; $i < 100 && send($c, ' '); $i++) usleep(200000);
            break;
        case 'slowhead':
            foreach (str_split("HTTP/1.1 200 OK\r\n") as $ch) {
                if (!send($c, $ch)) break;
                usleep(200000);
            }
            break;
        case 'big':
            send($c, answer(str_repeat('x', 5 << 20)));
            break;
        case 'bigchunked':
            $ok = send($c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for ($i = 0; $ok && $i < 80; $i++) $ok = send($c, "10000\r\n" . str_repeat('x', 65536) . "\r\n");
            if ($ok) send($c, "0\r\n\r\n");
            break;
        case 'cut':
            send($c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
            break;
        case 'garbage':
            send($c, "\x00\x01\x02 this is not HTTP\r\n\r\n");
            break;
        default:                             // close, or anything else
            break;
    }
    fclose($c);
}
