<?php
// pconnect as phpredis ships it; the "tuned" contender is this same page in
// the pool with php_admin_value[redis.pconnect.echo_check_liveness] = 0.
require __DIR__ . '/boot.inc';
$r = new Redis();
$r->pconnect(getenv('WXBENCH_HOST'), (int) getenv('WXBENCH_PORT'));
$r->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_PHP);
$r->setOption(Redis::OPT_PREFIX, 'bphp:');
$v = $r->get('k1');
wxbench_answer(is_array($v) && $v['expires_in'] === 7200, 'k1');
