--TEST--
decryptMessage()/handleCallback()'s envelope: 200k attributes on <ToUserName> are refused (-40002) at the cost of a same-size benign body, before any signature check
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
require_once __DIR__ . '/support/ref_crypt.php';
use WxRedis\MessageCrypt;

$token = 'tok3n';
$key = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
$appId = 'wx5823bf96d3bd56c7';
$c = new MessageCrypt($token, $key, $appId);
$ref = new WxRefCrypt($token, $key, $appId);

$enc = $ref->encrypt('<xml><Content>hi</Content></xml>');
$q = ['timestamp' => '1700000000', 'nonce' => '42', 'msg_signature' => $ref->signature('1700000000', '42', $enc)];

/* CPU seconds of this process spent in $f (user + system): a loaded box
 * slows the wall clock, not the work done. */
function cpu(callable $f, ?string &$out): float {
    $a = getrusage();
    try {
        $f();
        $out = 'no exception';
    } catch (WxRedis\CryptException $e) {
        $out = $e->getCode() . ' ' . $e->getMessage();
    }
    $b = getrusage();
    return ($b['ru_utime.tv_sec'] - $a['ru_utime.tv_sec']) + ($b['ru_utime.tv_usec'] - $a['ru_utime.tv_usec']) / 1e6
         + ($b['ru_stime.tv_sec'] - $a['ru_stime.tv_sec']) + ($b['ru_stime.tv_usec'] - $a['ru_stime.tv_usec']) / 1e6;
}

function hostile(int $n, string $enc): string {
    /* implode, not .= in a loop: under memcheck (no Zend allocator) each
     * append would copy the whole string */
    $attrs = implode('', array_map(fn ($i) => ' a' . base_convert((string) $i, 10, 36) . '=""', range(0, $n - 1)));
    return "<xml><ToUserName$attrs><![CDATA[gh_abc]]></ToUserName><Encrypt><![CDATA[$enc]]></Encrypt></xml>";
}

/* the same size, shaped like a push: one long ToUserName, no attributes */
function benign(int $size, string $enc): string {
    $shell = "<xml><ToUserName><![CDATA[]]></ToUserName><Encrypt><![CDATA[$enc]]></Encrypt></xml>";
    return str_replace('<![CDATA[]]>', '<![CDATA[' . str_repeat('g', $size - strlen($shell)) . ']]>', $shell);
}

echo "-- the issue's body: 1.75 MB, 200k attributes on <ToUserName>\n";
$big = hostile(200000, $enc);
var_dump(strlen($big) > 1700000 && strlen($big) < 1800000);
$tHostile = cpu(fn () => $c->decryptMessage($q, $big), $out);
echo $out, "\n";
$bigBenign = benign(strlen($big), $enc);
var_dump(strlen($bigBenign) === strlen($big));
$tBenign = cpu(fn () => $c->decryptMessage($q, $bigBenign), $out);
echo $out, "\n";

echo "-- under the size limit: 100k attributes (about 900 KB), refused at the first one\n";
$mid = hostile(100000, $enc);
var_dump(strlen($mid) < 1 << 20 && strlen($mid) > 800000);
$tMidHostile = cpu(fn () => $c->decryptMessage($q, $mid), $out);
echo $out, "\n";
$midBenign = benign(strlen($mid), $enc);
$tMidBenign = cpu(fn () => $c->decryptMessage($q, $midBenign), $out);
echo $out, "\n";

echo "-- OpenPlatform::handleCallback() opens pushes the same way, and stores nothing\n";
$emu = wx_emu_start();
$p = wx_platform($emu);
$push = wx_emu_control($emu, 'push_ticket');
preg_match('~<Encrypt><!\[CDATA\[([^\]]+)\]\]>~', $push['body'], $m);
$tPlatform = cpu(fn () => $p->handleCallback($push['query'], hostile(100000, $m[1])), $out);
echo $out, "\n";
var_dump(wx_test_raw()->exists(wx_test_prefix() . 'open_platform.verify_ticket.' . WX_PLATFORM_APPID));
var_dump($p->handleCallback($push['query'], $push['body']));

echo "-- cost: no more than a benign body of the same size (generous bounds)\n";
/* libxml2 took about 20 s of CPU for the 1.75 MB body: the bounds below
 * hold with a wide margin on a loaded box and fail for any quadratic path */
var_dump($tHostile < 5.0, $tMidHostile < 5.0, $tPlatform < 5.0);
var_dump($tMidHostile <= 10 * $tMidBenign + 0.5);
?>
--EXPECTF--
-- the issue's body: 1.75 MB, 200k attributes on <ToUserName>
bool(true)
-40002 callback body: the envelope is larger than %s (at byte 0)
bool(true)
-40002 callback body: the envelope is larger than %s (at byte 0)
-- under the size limit: 100k attributes (about 900 KB), refused at the first one
bool(true)
-40002 callback body: the envelope has an attribute (at byte 17)
no exception
-- OpenPlatform::handleCallback() opens pushes the same way, and stores nothing
-40002 callback body: the envelope has an attribute (at byte 17)
int(0)
string(7) "success"
-- cost: no more than a benign body of the same size (generous bounds)
bool(true)
bool(true)
bool(true)
bool(true)
