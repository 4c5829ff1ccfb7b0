--TEST--
WxRedis\MessageCrypt: documents in other encodings (EBCDIC, UTF-16/32, Shift_JIS) and 200k attributes refused with -40002, no warning, PHP's libxml handlers left as they were
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis extension not loaded');
if (!function_exists('simplexml_load_string')) die('skip simplexml needed to check PHP\'s own handlers'); ?>
--FILE--
<?php
require __DIR__ . '/support/ref_crypt.php';
use WxRedis\MessageCrypt;

set_error_handler(function ($no, $str) {
    echo "WARNING RAISED: ", trim($str), "\n";
    return true;
});

function t(string $what, callable $f): void {
    try {
        $r = $f();
        echo "$what: accepted ", json_encode($r), "\n";
    } catch (WxRedis\CryptException $e) {
        echo "$what: ", $e->getCode(), ' ', $e->getMessage(), "\n";
    }
}

function utf16le(string $ascii): string { return implode('', array_map(fn($c) => "$c\0", str_split($ascii))); }

$docs = [
    'EBCDIC declared' => '<?xml version="1.0" encoding="EBCDIC"?><xml><a>1</a></xml>',
    'IBM037 declared' => '<?xml version="1.0" encoding="IBM037"?><xml><a>1</a></xml>',
    'UTF-32 declared' => '<?xml version="1.0" encoding="UTF-32"?><xml><a>1</a></xml>',
    'Shift_JIS, bad bytes' => "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><xml><a>\x81\x20\xff\xfe</a></xml>",
    'UTF-16 with BOM' => "\xff\xfe" . utf16le('<xml><a>1</a></xml>'),
    'UTF-16 without BOM' => utf16le('<?xml version="1.0" encoding="UTF-16"?><xml><a>1</a></xml>'),
    'EBCDIC bytes' => "\x4c\x6f\xa7\x94\x93\x40\xa5\x85\x99\xa2\x89\x96\x95",
];

$token = 'tok3n';
$key = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
$appId = 'wx5823bf96d3bd56c7';
$c = new MessageCrypt($token, $key, $appId);
$ref = new WxRefCrypt($token, $key, $appId);

foreach ([false, true] as $internal) {
    libxml_use_internal_errors($internal);
    echo "-- libxml_use_internal_errors(", var_export($internal, true), ")\n";
    foreach ($docs as $what => $xml) {
        t("parseXml, $what", fn() => MessageCrypt::parseXml($xml));
    }
    // a whole push whose envelope declares EBCDIC
    $push = $ref->push('<xml><n>1</n></xml>', '1', '2');
    $body = '<?xml version="1.0" encoding="EBCDIC"?>' . $push['body'];
    t('decryptMessage, envelope in EBCDIC', fn() => $c->decryptMessage($push['query'], $body));
    // a validly signed push whose decrypted message declares UTF-32
    $push = $ref->push($docs['UTF-32 declared'], '1', '2');
    t('decrypted message in UTF-32', fn() => MessageCrypt::parseXml($c->decryptMessage($push['query'], $push['body'])));
    // every other envelope encoding, and every document as the decrypted message
    $push = $ref->push('<xml><n>1</n></xml>', '1', '2');
    t('decryptMessage, envelope declaring Shift_JIS', fn() => $c->decryptMessage($push['query'],
        '<?xml version="1.0" encoding="Shift_JIS"?>' . $push['body']));
    t('decryptMessage, envelope declaring UTF-32', fn() => $c->decryptMessage($push['query'],
        '<?xml version="1.0" encoding="UTF-32"?>' . $push['body']));
    t('decryptMessage, envelope in UTF-16 with BOM', fn() => $c->decryptMessage($push['query'],
        "\xff\xfe" . utf16le($push['body'])));
    foreach ($docs as $what => $xml) {
        $push = $ref->push($xml, '1', '2');
        t("decryptMessage + parseXml, decrypted $what", fn() => MessageCrypt::parseXml($c->decryptMessage($push['query'], $push['body'])));
    }
    echo "libxml errors collected: ", count(libxml_get_errors()), "\n";
}

echo "-- PHP's own libxml handlers still work afterwards\n";
libxml_use_internal_errors(true);
libxml_clear_errors();
var_dump(simplexml_load_string('<a><b></a>'), count(libxml_get_errors()) > 0);
libxml_clear_errors();
libxml_use_internal_errors(false);
$seen = 0;
set_error_handler(function () use (&$seen) { $seen++; return true; });
simplexml_load_string('<a><b></a>');
restore_error_handler();
echo "warnings from PHP's own parse: ", $seen > 0 ? 'yes' : 'none', "\n";

echo "-- 200k attributes on one element (1.95 MB)\n";
// one implode, not 200k appends: under USE_ZEND_ALLOC=0 (memcheck) each append reallocates
$attrs = implode('', array_map(fn($i) => ' a' . base_convert((string) $i, 10, 36) . '="x"', range(0, 199999)));
$xml = "<xml><ToUserName$attrs><![CDATA[gh]]></ToUserName></xml>";
printf("%.2f MB\n", strlen($xml) / 1e6);
t('parseXml', fn() => MessageCrypt::parseXml($xml));
$some = fn(int $n) => implode('', array_map(fn($i) => " k$i=\"v\"", range(1, $n)));
t('16 attributes', fn() => MessageCrypt::parseXml('<xml><a' . $some(16) . '>1</a></xml>'));
t('17 attributes', fn() => MessageCrypt::parseXml('<xml><a' . $some(17) . '>1</a></xml>'));
?>
--EXPECT--
-- libxml_use_internal_errors(false)
parseXml, EBCDIC declared: -40002 XML declaring encoding "EBCDIC" is refused: only UTF-8 is accepted
parseXml, IBM037 declared: -40002 XML declaring encoding "IBM037" is refused: only UTF-8 is accepted
parseXml, UTF-32 declared: -40002 XML declaring encoding "UTF-32" is refused: only UTF-8 is accepted
parseXml, Shift_JIS, bad bytes: -40002 XML declaring encoding "Shift_JIS" is refused: only UTF-8 is accepted
parseXml, UTF-16 with BOM: -40002 XML with a UTF-16 byte order mark is refused: only UTF-8 is accepted
parseXml, UTF-16 without BOM: -40002 XML in UTF-16 or UTF-32 (a NUL byte among the first four) is refused: only UTF-8 is accepted
parseXml, EBCDIC bytes: -40002 XML in EBCDIC is refused: only UTF-8 is accepted
decryptMessage, envelope in EBCDIC: -40002 callback body: the envelope is not UTF-8 (byte order, NUL bytes or declared encoding) (at byte 37)
decrypted message in UTF-32: -40002 XML declaring encoding "UTF-32" is refused: only UTF-8 is accepted
decryptMessage, envelope declaring Shift_JIS: -40002 callback body: the envelope is not UTF-8 (byte order, NUL bytes or declared encoding) (at byte 40)
decryptMessage, envelope declaring UTF-32: -40002 callback body: the envelope is not UTF-8 (byte order, NUL bytes or declared encoding) (at byte 37)
decryptMessage, envelope in UTF-16 with BOM: -40002 callback body: the envelope is not UTF-8 (byte order, NUL bytes or declared encoding) (at byte 0)
decryptMessage + parseXml, decrypted EBCDIC declared: -40002 XML declaring encoding "EBCDIC" is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted IBM037 declared: -40002 XML declaring encoding "IBM037" is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted UTF-32 declared: -40002 XML declaring encoding "UTF-32" is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted Shift_JIS, bad bytes: -40002 XML declaring encoding "Shift_JIS" is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted UTF-16 with BOM: -40002 XML with a UTF-16 byte order mark is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted UTF-16 without BOM: -40002 XML in UTF-16 or UTF-32 (a NUL byte among the first four) is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted EBCDIC bytes: -40002 XML in EBCDIC is refused: only UTF-8 is accepted
libxml errors collected: 0
-- libxml_use_internal_errors(true)
parseXml, EBCDIC declared: -40002 XML declaring encoding "EBCDIC" is refused: only UTF-8 is accepted
parseXml, IBM037 declared: -40002 XML declaring encoding "IBM037" is refused: only UTF-8 is accepted
parseXml, UTF-32 declared: -40002 XML declaring encoding "UTF-32" is refused: only UTF-8 is accepted
parseXml, Shift_JIS, bad bytes: -40002 XML declaring encoding "Shift_JIS" is refused: only UTF-8 is accepted
parseXml, UTF-16 with BOM: -40002 XML with a UTF-16 byte order mark is refused: only UTF-8 is accepted
parseXml, UTF-16 without BOM: -40002 XML in UTF-16 or UTF-32 (a NUL byte among the first four) is refused: only UTF-8 is accepted
parseXml, EBCDIC bytes: -40002 XML in EBCDIC is refused: only UTF-8 is accepted
decryptMessage, envelope in EBCDIC: -40002 callback body: the envelope is not UTF-8 (byte order, NUL bytes or declared encoding) (at byte 37)
decrypted message in UTF-32: -40002 XML declaring encoding "UTF-32" is refused: only UTF-8 is accepted
decryptMessage, envelope declaring Shift_JIS: -40002 callback body: the envelope is not UTF-8 (byte order, NUL bytes or declared encoding) (at byte 40)
decryptMessage, envelope declaring UTF-32: -40002 callback body: the envelope is not UTF-8 (byte order, NUL bytes or declared encoding) (at byte 37)
decryptMessage, envelope in UTF-16 with BOM: -40002 callback body: the envelope is not UTF-8 (byte order, NUL bytes or declared encoding) (at byte 0)
decryptMessage + parseXml, decrypted EBCDIC declared: -40002 XML declaring encoding "EBCDIC" is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted IBM037 declared: -40002 XML declaring encoding "IBM037" is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted UTF-32 declared: -40002 XML declaring encoding "UTF-32" is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted Shift_JIS, bad bytes: -40002 XML declaring encoding "Shift_JIS" is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted UTF-16 with BOM: -40002 XML with a UTF-16 byte order mark is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted UTF-16 without BOM: -40002 XML in UTF-16 or UTF-32 (a NUL byte among the first four) is refused: only UTF-8 is accepted
decryptMessage + parseXml, decrypted EBCDIC bytes: -40002 XML in EBCDIC is refused: only UTF-8 is accepted
libxml errors collected: 0
-- PHP's own libxml handlers still work afterwards
bool(false)
bool(true)
warnings from PHP's own parse: yes
-- 200k attributes on one element (1.95 MB)
1.95 MB
parseXml: -40002 XML element <ToUserName> with more than 16 attributes is refused (at byte 129)
16 attributes: accepted {"a":"1"}
17 attributes: -40002 XML element <a> with more than 16 attributes is refused (at byte 127)
