<?php
require __DIR__ . '/boot.inc';
$r = new Redis();
$r->pconnect(getenv('WXBENCH_HOST'), (int) getenv('WXBENCH_PORT'));
$r->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_PHP);
$r->setOption(Redis::OPT_PREFIX, 'bphp:');
$n = 0;
foreach ($r->mGet(WXBENCH_KEYS) as $k => $v) {
    $n += is_array($v) && $v['expires_in'] === 7200;
}
wxbench_answer($n === 20, "$n of 20");
