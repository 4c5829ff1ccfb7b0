--TEST--
WxRedis\Cache reading what Symfony's cache + phpredis wrote (every serializer): the exact ticket or an exception, never a wrong value
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc';
if (!extension_loaded('redis') || !extension_loaded('igbinary')) die('skip needs phpredis and igbinary');
if (!is_file('/usr/share/php/Symfony/Component/Cache/autoload.php')) die('skip needs php-symfony-cache'); ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
require '/usr/share/php/Psr/SimpleCache/autoload.php';
require '/usr/share/php/Symfony/Component/Cache/autoload.php';
use Symfony\Component\Cache\Adapter\RedisAdapter;
use Symfony\Component\Cache\Psr16Cache;

[$host, $port] = explode(':', wx_test_server()['addr']);
$ticket = 'ticket@@@' . str_repeat('x', 20);
$ns = 'mig' . getmypid();
$key = 'open_platform.verify_ticket.wx1';
$sers = ['none' => Redis::SERIALIZER_NONE, 'php' => Redis::SERIALIZER_PHP,
         'igbinary' => Redis::SERIALIZER_IGBINARY, 'json' => Redis::SERIALIZER_JSON];
foreach ($sers as $name => $ser) {
    $r = new Redis();
    $r->connect($host, (int) $port);
    $r->setOption(Redis::OPT_SERIALIZER, $ser);
    (new Psr16Cache(new RedisAdapter($r, $ns)))->set($key, $ticket, 600);
    foreach (['strict' => false, 'legacy' => true] as $mode => $legacy) {
        $c = new WxRedis\Cache(wx_test_server()['dsn'], ['prefix' => "$ns:", 'legacy_formats' => $legacy]);
        try {
            $v = $c->get($key);
            $out = $v === $ticket ? 'the ticket' : 'WRONG VALUE ' . json_encode($v);
        } catch (WxRedis\CacheException $e) {
            $out = 'refused: ' . preg_replace('/ \(.*| probably.*|, which.*/', '', $e->getMessage());
        }
        printf("%-8s %-6s %s\n", $name, $mode, str_replace("\"$ns:$key\"", 'K', $out));
    }
}
echo "writing such a string is refused up front\n";
wx_try(fn() => wx_test_cache()->set('blob', igbinary_serialize('x')));
var_dump(wx_test_cache()->set('blob', [igbinary_serialize('x')]));
--EXPECTF--
none     strict refused: value under key K is not in wxredis format
none     legacy the ticket
php      strict refused: value under key K is igbinary data inside a PHP serialize() string
php      legacy the ticket
igbinary strict refused: value under key K is not in wxredis format
igbinary legacy the ticket
json     strict refused: value under key K is not in wxredis format
json     legacy the ticket
writing such a string is refused up front
WxRedis\InvalidArgumentException(22): value for key "blob" is a string that starts with igbinary's header (00 00 00 02), which wxredis cannot tell apart from igbinary data double-encoded by Symfony's marshaller and phpredis; store it wrapped (e.g. in an array) or encoded (e.g. base64)
bool(true)
