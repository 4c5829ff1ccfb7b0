<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use Psr\SimpleCache\CacheInterface;

/** Code typed against the autoloaded PSR interface uses WxRedis\Cache unchanged. */
final class V3TypedCallerTest extends TestCase
{
    private function store(CacheInterface $cache, string $key, mixed $value, null|int|\DateInterval $ttl): bool
    {
        return $cache->set($key, $value, $ttl);
    }

    private function fetchAll(CacheInterface $cache, iterable $keys): iterable
    {
        return $cache->getMultiple($keys, 'none');
    }

    public function testTypedCaller(): void
    {
        $cache = new WxRedis\Cache(wx_test_server()['dsn'] . '/9', ['prefix' => 'typed:']);
        $this->assertInstanceOf(CacheInterface::class, $cache);
        $this->assertTrue($this->store($cache, 'a', 'x', new \DateInterval('PT60S')));
        $this->assertSame(['a' => 'x', 'b' => 'none'], iterator_to_array($this->fetchAll($cache, ['a', 'b'])));
        $this->assertTrue($cache->clear());
    }

    public function testExceptionsArePsrExceptions(): void
    {
        $cache = new WxRedis\Cache(wx_test_server()['dsn'] . '/9', ['prefix' => 'typed:']);
        try {
            $cache->get('bad{key}');
            $this->fail('no exception');
        } catch (\Psr\SimpleCache\InvalidArgumentException $e) {
            $this->assertInstanceOf(\Psr\SimpleCache\CacheException::class, $e);
            $this->assertInstanceOf(\InvalidArgumentException::class, $e);
            $this->assertInstanceOf(WxRedis\Exception::class, $e);
        }
        $this->assertTrue(is_subclass_of(WxRedis\CacheException::class, \Psr\SimpleCache\CacheException::class));
    }

    public function testSignaturesMatchTheInterface(): void
    {
        // the engine already checked compatibility when it declared the class;
        // this states it: every interface method is implemented by CacheBase
        $iface = new ReflectionClass(CacheInterface::class);
        foreach ($iface->getMethods() as $m) {
            $this->assertSame(WxRedis\CacheBase::class, (new ReflectionMethod(WxRedis\Cache::class, $m->name))->class);
        }
    }
}
