--TEST--
README.md's key table is WxRedis\Format::keys() rendered (scripts/gen-readme-keys rewrites it)
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis not loaded');
if (!is_file(__DIR__ . '/../README.md')) die('skip README.md is not next to the tests (an installed package)'); ?>
--FILE--
<?php
require __DIR__ . '/support/keys_table.inc';
$keys = WxRedis\Format::keys();
echo "-- the README's key table is the extension's\n";
$readme = file_get_contents(__DIR__ . '/../README.md');
$block = wx_keys_readme_block($readme);
$table = wx_keys_markdown($keys);
if ($block === null) {
    echo "README.md has no key table markers\n";
} elseif ($block !== $table) {
    echo "README.md's key table differs from WxRedis\\Format::keys(): run scripts/gen-readme-keys\n";
    foreach (array_diff(explode("\n", $table), explode("\n", $block)) as $line) echo "  missing: $line\n";
    foreach (array_diff(explode("\n", $block), explode("\n", $table)) as $line) echo "  stale:   $line\n";
} else {
    echo "same, ", count($keys), " keys\n";
}

?>
--EXPECT--
-- the README's key table is the extension's
same, 21 keys
