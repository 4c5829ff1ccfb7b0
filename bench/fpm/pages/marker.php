<?php
// Callgrind only: php-fpm runs under --dump-before=zend_gc_get_status, so
// this request writes a dump of everything counted since the previous one.
require __DIR__ . '/boot.inc';
gc_status();
echo 'ok';
