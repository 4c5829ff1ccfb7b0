<?php
// The empty page: php-fpm, FastCGI and the bootstrap, no Redis at all.
require __DIR__ . '/boot.inc';
wxbench_answer(true, '');
