--TEST--
wxredis-doctor command line: --help/--version without the extension, getopt-style values, '--', unknown options name the closest one
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/doctor.inc';

/** The doctor under `php -n`: no php.ini, so no wxredis (the moment a new user first runs it). */
function bare(array $args): array
{
    $cmd = array_merge([PHP_BINARY, '-n', '-d', 'pcre.jit=0', __DIR__ . '/../bin/wxredis-doctor'], $args);
    $p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    return [proc_close($p), $out, $err];
}
$self = realpath(__DIR__ . '/../bin/wxredis-doctor');

echo "without the extension\n";
[$code, $out, $err] = bare(['--help']);
var_dump($code, $err, str_starts_with($out, 'Usage: wxredis-doctor'),
    str_contains($out, 'The wxredis extension is not loaded in this PHP.'), str_contains($out, "php -d extension="));
[$code, $out, $err] = bare(['-h']);
var_dump($code, str_starts_with($out, 'Usage: wxredis-doctor'));
[$code, $out, $err] = bare(['--version']);
var_dump($code);
echo strtok($out, "\n"), "\n";
var_dump(str_contains($out, "php -d extension=") && str_contains($out, " $self ..."));
[$code, $out, $err] = bare(['redis://127.0.0.1:1', '--prefix', 'x:']);
var_dump($code, $out);
echo strtok($err, "\n"), "\n";
var_dump(str_contains($err, "php -d extension=") && str_contains($err, 'extension=wxredis in php.ini'));
// a typo is still a typo before the extension is there
[$code, $out, $err] = bare(['--prefx', 'x:']);
var_dump($code); echo $err;

echo "with the extension\n";
[$code, $out] = wx_doctor(['--version']);
var_dump($code, $out === 'wxredis-doctor ' . phpversion('wxredis') . ' (PHP ' . PHP_VERSION . ', wxredis extension '
    . phpversion('wxredis') . " loaded)\n");
[$code, $out] = wx_doctor(['-V']);
var_dump($code, str_starts_with($out, 'wxredis-doctor '));
[$code, $out] = wx_doctor(['--help']);
var_dump($code, str_starts_with($out, 'Usage: wxredis-doctor'), str_contains($out, 'not loaded in this PHP'));

echo "a value after a space, after '=', or an empty one\n";
$p = wx_test_prefix();
$c = wx_test_cache();
$c->set('open_platform.verify_ticket.wxcli', 'ticket@@@cli', 6000);
$c->set('other', 1);
$dsn = wx_test_server()['dsn'];
$forms = [
    'joined' => [$dsn, "--prefix={$p}open", '--count=7'],
    'spaced' => [$dsn, '--prefix', "{$p}open", '--count', '7'],
    'dsn last' => ['--prefix', "{$p}open", $dsn],
    '--dsn option' => ['--dsn', $dsn, '--prefix', "{$p}open"],
    '--dsn=' => ["--dsn=$dsn", "--prefix={$p}open"],
    "after '--'" => ['--prefix', "{$p}open", '--', $dsn],
];
foreach ($forms as $name => $args) {
    $j = wx_doctor_json($args);
    printf("%-13s exit %d, prefix %s, keys %s\n", $name, $j['exit'], substr($j['prefix'], strlen($p)),
        implode(',', array_map(fn($k) => substr($k, strlen($p)), array_column($j['keys'], 'key'))));
}
// an empty value: every key of the test (and others'), so just check it was taken as the prefix
$j = wx_doctor_json([$dsn, '--prefix=']);
var_dump($j['prefix'], count($j['keys']) >= 2);
$j = wx_doctor_json([$dsn, '--prefix', '']);
var_dump($j['prefix']);

echo "'--' ends the options: what follows is the DSN, even when it looks like an option\n";
[$code, $out] = wx_doctor(['--', '--json']);
var_dump($code); echo trim($out), "\n";

echo "mistakes\n";
foreach ([['--prefx=easywechat:'], ['--jsno'], ['--max', '5'], ['--dryrun'], ['--no-progres'], ['--frobnicate'],
          ['-x'], ['--json=yes'], ['--help=1'], ['--prefix'], ['--prefix', '--json'], ['--prefix', '-h'],
          ['--count=0'], ['--count', 'abc'], ['--count', '-5'], ['--max-changes=3'], ['--migrate', '--max-changes', 'x'],
          [$dsn, $dsn], ['--dsn', $dsn, $dsn], ['--dsn=']] as $args) {
    [$code, $out] = wx_doctor($args);
    printf("%-34s %d %s\n", implode(' ', array_map(fn($a) => $a === $dsn ? 'DSN' : $a, $args)), $code,
        str_replace([$dsn, "--stderr--\n", "\n"], ['DSN', '', ''], $out));
}

echo "--prefix=-x: a value starting with '-' is fine after '='\n";
$j = wx_doctor_json([$dsn, '--prefix=-x']);
var_dump($j['prefix'], $j['exit']);
?>
--EXPECTF--
without the extension
int(0)
string(0) ""
bool(true)
bool(true)
bool(true)
int(0)
bool(true)
int(0)
wxredis-doctor %d.%d.%s (PHP %s, wxredis extension not loaded)
bool(true)
int(2)
string(0) ""
wxredis-doctor: the wxredis extension is not loaded.
bool(true)
int(2)
wxredis-doctor: unknown option --prefx (did you mean --prefix?)
with the extension
int(0)
bool(true)
int(0)
bool(true)
int(0)
bool(true)
bool(false)
a value after a space, after '=', or an empty one
joined        exit %d, prefix open, keys open_platform.verify_ticket.wxcli
spaced        exit %d, prefix open, keys open_platform.verify_ticket.wxcli
dsn last      exit %d, prefix open, keys open_platform.verify_ticket.wxcli
--dsn option  exit %d, prefix open, keys open_platform.verify_ticket.wxcli
--dsn=        exit %d, prefix open, keys open_platform.verify_ticket.wxcli
after '--'    exit %d, prefix open, keys open_platform.verify_ticket.wxcli
string(0) ""
bool(true)
string(0) ""
'--' ends the options: what follows is the DSN, even when it looks like an option
int(2)
--stderr--
wxredis-doctor: %s--json%s
mistakes
--prefx=easywechat:                2 wxredis-doctor: unknown option --prefx (did you mean --prefix?)
--jsno                             2 wxredis-doctor: unknown option --jsno (did you mean --json?)
--max 5                            2 wxredis-doctor: unknown option --max (did you mean --max-changes?)
--dryrun                           2 wxredis-doctor: unknown option --dryrun (did you mean --dry-run?)
--no-progres                       2 wxredis-doctor: unknown option --no-progres (did you mean --no-progress?)
--frobnicate                       2 wxredis-doctor: unknown option --frobnicate (see --help)
-x                                 2 wxredis-doctor: unknown option -x (see --help)
--json=yes                         2 wxredis-doctor: --json takes no value
--help=1                           2 wxredis-doctor: --help takes no value
--prefix                           2 wxredis-doctor: --prefix needs a value (--prefix VALUE or --prefix=VALUE)
--prefix --json                    2 wxredis-doctor: --prefix needs a value, got the option --json (for a value starting with '-' write --prefix=VALUE)
--prefix -h                        2 wxredis-doctor: --prefix needs a value, got the option -h (for a value starting with '-' write --prefix=VALUE)
--count=0                          2 wxredis-doctor: --count needs a positive integer, not '0'
--count abc                        2 wxredis-doctor: --count needs a positive integer, not 'abc'
--count -5                         2 wxredis-doctor: --count needs a positive integer, not '-5'
--max-changes=3                    2 wxredis-doctor: --max-changes goes with --migrate
--migrate --max-changes x          2 wxredis-doctor: --max-changes needs a non-negative integer, not 'x'
DSN DSN                            2 wxredis-doctor: more than one DSN given: DSN DSN
--dsn DSN DSN                      2 wxredis-doctor: more than one DSN given: DSN DSN
--dsn=                             2 wxredis-doctor: empty DSN
--prefix=-x: a value starting with '-' is fine after '='
string(2) "-x"
int(%d)
