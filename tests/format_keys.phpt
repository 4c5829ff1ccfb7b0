--TEST--
WxRedis\Format::describeKey() and keys(): the one key table (EasyWeChat 6, 4.x/5.x, wxredis), every row described back, prefix rules, keys that are not ours
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis not loaded'); ?>
--FILE--
<?php
$keys = WxRedis\Format::keys();

echo "-- every row, filled in and described back\n";
$md5 = md5('refresh-token');
foreach ($keys as $row) {
    $name = strtr($row['pattern'], ['{componentAppId}' => 'wxcomp', '{authorizerAppId}' => 'wxauth',
                                    '{md5(refreshToken)}' => $md5, '{md5(credentials)}' => $md5, '{bucket}' => '2941234']);
    $unknown = WxRedis\Format::describeKey("ew:$name");
    $known = WxRedis\Format::describeKey($row['in_prefix'] ? "ew:$name" : $name, 'ew:');
    $same = array_intersect_key($unknown, $row) === $row && $known !== null && array_intersect_key($known, $row) === $row;
    printf("%-22s %-11s %-10s %-5s %-10s %-6s %-6s %s %s %s %s\n", $row['role'], $row['layout'], $row['owner'],
        $row['written'] ? 'w' : 'r', $row['ttl'], var_export($row['ttl_seconds'], true), $row['value'],
        $same ? 'same row' : 'DIFFERENT ROW', $unknown['prefix'] === 'ew:' && $unknown['name'] === $name ? 'split' : 'BAD SPLIT',
        json_encode([$unknown['component_app_id'], $unknown['authorizer_app_id'], $unknown['digest'] === null ? null : 'md5']),
        $row['in_prefix'] ? 'in prefix' : 'outside prefix');
}

echo "-- prefix rules\n";
$d = fn (string $key, string $prefix = '') => ($r = WxRedis\Format::describeKey($key, $prefix)) === null ? 'null'
    : "{$r['role']} ({$r['layout']}) prefix=" . json_encode($r['prefix']) . ' app=' . json_encode($r['component_app_id'] ?? $r['authorizer_app_id']);
echo $d('open_platform.verify_ticket.wxc'), "\n";
echo $d('easywechat:open_platform.verify_ticket.wxc'), "\n";
echo $d('easywechat:open_platform.verify_ticket.wxc', 'easywechat:'), "\n";
echo $d('other:open_platform.verify_ticket.wxc', 'easywechat:'), "\n";
echo $d('easywechat.open_platform.verify_ticket.wxc'), "\n";
echo $d('easywechat.open_platform.verify_ticket.wxc', 'easywechat.'), "\n";
echo $d('sf1:easywechat.open_platform.verify_ticket.wxc'), "\n";
echo $d('wxredis:authorizer_refresh_token:wxc:wxa', 'easywechat:'), "\n";
echo $d('easywechat:wxredis:authorizer_refresh_token:wxc:wxa', 'easywechat:'), "\n";
echo $d('P:wxredis:authorizer_refresh_token:wxc:wxa'), "\n";

echo "-- not one of ours\n";
foreach (['', 'count.php', 'open_platform.verify_ticket.', 'open_platform.verify_ticket.wx.c', 'open_platform.verify_ticket.wx c',
          'open_platform.verify_ticket.' . str_repeat('a', 65), "open_platform.verify_ticket.wx\0c",
          'open-platform.authorizer_access_token.wxa.' . strtoupper($md5), 'open-platform.authorizer_access_token.wxa.abc',
          'open_platform.component_access_token.wxc.extra', 'wxredis:verify_ticket_stored_at:wxc'] as $k) {
    echo json_encode($k), ' ', $d($k), "\n";
}
var_dump(WxRedis\Format::describeKey('open_platform.verify_ticket.' . str_repeat('a', 64))['component_app_id'] === str_repeat('a', 64));
try {
    WxRedis\Format::describeKey();
} catch (ArgumentCountError $e) {
    echo get_class($e), "\n";
}
?>
--EXPECT--
-- every row, filled in and described back
ticket                 easywechat6 easywechat w     ticket     41400  string same row split ["wxcomp",null,null] in prefix
component_token        easywechat6 easywechat w     expires_in 100    string same row split ["wxcomp",null,null] in prefix
authorizer_token       easywechat6 easywechat w     expires_in 500    string same row split [null,"wxauth","md5"] in prefix
refresh_token          wxredis     wxredis    w     none       NULL   string same row split ["wxcomp","wxauth",null] outside prefix
ticket_stored_at       wxredis     wxredis    w     fixed      2592000 int    same row split ["wxcomp",null,null] in prefix
push_ticket_requested  wxredis     wxredis    w     fixed      600    int    same row split ["wxcomp",null,null] in prefix
component_lock         wxredis     wxredis    w     lock       1      lock   same row split ["wxcomp",null,null] in prefix
authorizer_lock        wxredis     wxredis    w     lock       1      lock   same row split ["wxcomp","wxauth",null] in prefix
authorizer_token_current wxredis     wxredis    w     expires_in 500    string same row split ["wxcomp","wxauth",null] in prefix
authorizer_registry    wxredis     wxredis    w     none       NULL   zset   same row split ["wxcomp",null,null] in prefix
refresh_missing        wxredis     wxredis    w     none       NULL   set    same row split ["wxcomp",null,null] in prefix
ticket_push            wxredis     wxredis    w     fixed      2592000 array  same row split ["wxcomp",null,null] in prefix
last_refresh_error     wxredis     wxredis    w     fixed      604800 array  same row split ["wxcomp",null,null] in prefix
wechat_calls           wxredis     wxredis    w     fixed      4200   hash   same row split ["wxcomp",null,null] in prefix
fleet                  wxredis     wxredis    w     fixed      2592000 hash   same row split ["wxcomp",null,null] in prefix
recover_lock           wxredis     wxredis    w     lock       1      lock   same row split ["wxcomp","wxauth",null] in prefix
recover_all_lock       wxredis     wxredis    w     fixed      60     string same row split ["wxcomp",null,null] in prefix
keeper_pace            wxredis     wxredis    w     fixed      60     int    same row split ["wxcomp",null,null] in prefix
clear_quota            wxredis     wxredis    w     fixed      86400  int    same row split ["wxcomp",null,null] in prefix
ticket                 easywechat4 easywechat r     fixed      3600   string same row split ["wxcomp",null,null] in prefix
token_4x               easywechat4 easywechat r     expires_in 500    array  same row split [null,null,"md5"] in prefix
-- prefix rules
ticket (easywechat6) prefix="" app="wxc"
ticket (easywechat6) prefix="easywechat:" app="wxc"
ticket (easywechat6) prefix="easywechat:" app="wxc"
null
ticket (easywechat4) prefix="" app="wxc"
ticket (easywechat6) prefix="easywechat." app="wxc"
ticket (easywechat4) prefix="sf1:" app="wxc"
refresh_token (wxredis) prefix="" app="wxc"
null
refresh_token (wxredis) prefix="P:" app="wxc"
-- not one of ours
"" null
"count.php" null
"open_platform.verify_ticket." null
"open_platform.verify_ticket.wx.c" null
"open_platform.verify_ticket.wx c" null
"open_platform.verify_ticket.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" null
"open_platform.verify_ticket.wx\u0000c" null
"open-platform.authorizer_access_token.wxa.5F7F16EF955814B78F2EB519FBBBAF37" null
"open-platform.authorizer_access_token.wxa.abc" null
"open_platform.component_access_token.wxc.extra" null
"wxredis:verify_ticket_stored_at:wxc" null
bool(true)
ArgumentCountError
