<?php
/*
 * PSR-16 conformance suite (cache/integration-tests, Debian's 0.17) against
 * WxRedis\Cache, under the psr/simple-cache version named by WX_PSR:
 * v1 = Debian's php-psr-simple-cache 1.0.1, v2/v3 = composer installs in
 * tests/psr/vN (made by scripts/test from the Packagist copy).
 */
$v = getenv('WX_PSR') ?: 'v1';
if ($v === 'v1') {
    require '/usr/share/php/Psr/SimpleCache/autoload.php';
} else {
    require __DIR__ . "/../psr/$v/vendor/autoload.php";
}
require '/usr/share/php/Cache/IntegrationTests/autoload.php';
require __DIR__ . '/../support/common.inc';

// make sure the run really is against the version it claims: 1.x is untyped,
// 2.x types parameters, 3.x also return types
$get = new ReflectionMethod(Psr\SimpleCache\CacheInterface::class, 'get');
$seen = $get->hasReturnType() ? 'v3' : ($get->getParameters()[0]->hasType() ? 'v2' : 'v1');
if ($seen !== $v) {
    fwrite(STDERR, "expected psr/simple-cache $v, autoloaded $seen\n");
    exit(1);
}
fwrite(STDERR, "psr/simple-cache $v from " . (new ReflectionClass(Psr\SimpleCache\CacheInterface::class))->getFileName() . "\n");
