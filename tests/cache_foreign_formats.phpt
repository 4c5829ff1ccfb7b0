--TEST--
WxRedis\Cache: bytes written by others are named, never returned as the value; legacy_formats decodes them
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc';
if (!extension_loaded('igbinary') || !extension_loaded('msgpack')) die('skip needs igbinary and msgpack to write foreign formats'); ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$raw = wx_test_raw();
$p = wx_test_prefix();
$foreign = [
    'raw'      => 'ticket@@@abc',                 // phpredis SERIALIZER_NONE, another language
    'rawint'   => '42',                           // phpredis NONE wrote an int
    'empty'    => '',                             // phpredis NONE wrote false/null
    'igbinary' => igbinary_serialize('ticket@@@abc'),
    'msgpack'  => msgpack_pack('ticket@@@abc'),
    'json'     => json_encode('ticket@@@abc'),   // phpredis SERIALIZER_JSON
    'jsonobj'  => json_encode(['a' => 1]),
    'broken'   => 's:40:"short";',                // truncated PHP serialize
    'trailing' => 's:3:"abc";junk',
];
foreach ($foreign as $k => $bytes) {
    $raw->set($p . $k, $bytes);
}
$c = wx_test_cache();
foreach (array_keys($foreign) as $k) {
    wx_try(fn() => $c->get($k));
}
echo "getMultiple fails whole, not with a partial answer\n";
$c->set('good', 'fine');
wx_try(fn() => $c->getMultiple(['good', 'igbinary'])->toArray());

echo "legacy_formats\n";
$l = wx_test_cache(['legacy_formats' => true]);
foreach (array_keys($foreign) as $k) {
    wx_try(fn() => $l->get($k));
}
echo "canonical data reads the same in legacy mode\n";
var_dump($l->get('good'));

echo "valid syntax that does not load\n";
$raw->set($p . 'enum', 'E:11:"NoSuch:Case";');
wx_try(fn() => $c->get('enum'));
try { $c->get('enum'); } catch (WxRedis\CacheException $e) { echo get_class($e->getPrevious()), "\n"; }
echo "allowed_classes\n";
class Token { public $v = 't'; }
$c->set('obj', new Token);
var_dump(get_class(wx_test_cache(['allowed_classes' => false])->get('obj')));
var_dump(get_class(wx_test_cache(['allowed_classes' => ['Token']])->get('obj')));
var_dump(get_class(wx_test_cache(['allowed_classes' => ['Other']])->get('obj')));
print_r(array_intersect_key($c->stats(), ['format_errors' => 1]));
--EXPECTF--
WxRedis\CacheException(20): value under key "%sraw" is not in wxredis format (PHP serialize): it looks like raw (12 bytes), probably written by phpredis or Symfony with another serializer; set the legacy_formats option to read it during a migration
WxRedis\CacheException(20): value under key "%srawint" is not in wxredis format (PHP serialize): it looks like raw (2 bytes), probably written by phpredis or Symfony with another serializer; set the legacy_formats option to read it during a migration
WxRedis\CacheException(20): value under key "%sempty" is not in wxredis format (PHP serialize): it looks like empty (0 bytes), probably written by phpredis or Symfony with another serializer; set the legacy_formats option to read it during a migration
WxRedis\CacheException(20): value under key "%sigbinary" is not in wxredis format (PHP serialize): it looks like igbinary (18 bytes), probably written by phpredis or Symfony with another serializer; set the legacy_formats option to read it during a migration
WxRedis\CacheException(20): value under key "%smsgpack" is not in wxredis format (PHP serialize): it looks like msgpack (13 bytes), probably written by phpredis or Symfony with another serializer; set the legacy_formats option to read it during a migration
WxRedis\CacheException(20): value under key "%sjson" is not in wxredis format (PHP serialize): it looks like json (14 bytes), probably written by phpredis or Symfony with another serializer; set the legacy_formats option to read it during a migration
WxRedis\CacheException(20): value under key "%sjsonobj" is not in wxredis format (PHP serialize): it looks like json (7 bytes), probably written by phpredis or Symfony with another serializer; set the legacy_formats option to read it during a migration
WxRedis\CacheException(20): value under key "%sbroken" is not in wxredis format (PHP serialize): it looks like raw (13 bytes), probably written by phpredis or Symfony with another serializer; set the legacy_formats option to read it during a migration
WxRedis\CacheException(20): value under key "%strailing" is not in wxredis format (PHP serialize): it looks like raw (14 bytes), probably written by phpredis or Symfony with another serializer; set the legacy_formats option to read it during a migration
getMultiple fails whole, not with a partial answer
WxRedis\CacheException(20): value under key "%sigbinary" is not in wxredis format (PHP serialize): it looks like igbinary (18 bytes), probably written by phpredis or Symfony with another serializer; set the legacy_formats option to read it during a migration
legacy_formats
returned 'ticket@@@abc'
returned '42'
returned ''
returned 'ticket@@@abc'
WxRedis\CacheException(20): value under key "%smsgpack" is in msgpack format, which legacy_formats does not decode
returned 'ticket@@@abc'
returned array (
  'a' => 1,
)
returned 's:40:"short";'
returned 's:3:"abc";junk'
canonical data reads the same in legacy mode
string(4) "fine"
valid syntax that does not load
WxRedis\CacheException(21): value under key "%senum" could not be unserialized: %s
WxRedis\CacheException
allowed_classes
string(22) "__PHP_Incomplete_Class"
string(5) "Token"
string(22) "__PHP_Incomplete_Class"
Array
(
    [format_errors] => %d
)
