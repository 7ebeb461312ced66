"""redispy_smoke.py: drives a running server with Debian's redis-py (4.3)
exactly as an application would, and exits non-zero on the first surprise.
Run by tests/interop/test_clients.c as: python3 redispy_smoke.py PORT."""
import sys

import redis


def main(port):
    r = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5, decode_responses=True)
    assert r.ping() is True
    assert r.set("user:1", "alice") is True
    assert r.get("user:1") == "alice"
    assert r.get("missing") is None
    # lazy population with a TTL, the cache pattern
    assert r.set("cache:q", "result", ex=300) is True
    assert 0 < r.ttl("cache:q") <= 300
    assert r.incr("counter") == 1
    assert r.incrby("counter", 41) == 42
    assert abs(r.incrbyfloat("f", 1.5) - 1.5) < 1e-9
    assert r.mset({"a": "1", "b": "2"}) is True
    assert r.mget(["a", "b", "nope"]) == ["1", "2", None]
    assert r.append("a", "x") == 2
    assert r.getrange("a", 0, 0) == "1"
    assert r.exists("a", "b", "nope") == 2
    assert r.type("a") == "string"
    assert r.expire("a", 100) is True
    assert r.persist("a") is True
    assert sorted(r.scan_iter(match="user:*")) == ["user:1"]
    assert r.delete("a", "b") == 2
    p = r.pipeline(transaction=False)
    for i in range(100):
        p.set(f"p:{i}", i)
    p.get("p:99")
    out = p.execute()
    assert out[-1] == "99"
    assert r.dbsize() >= 100
    info = r.info()
    assert info["redis_version"].startswith("7.2")
    assert r.config_get("maxmemory")["maxmemory"] == "0"
    binary = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
    blob = b"\x00\r\n\xff" * 1000
    binary.set(b"bin\x00key", blob)
    assert binary.get(b"bin\x00key") == blob
    try:
        r.lpush("user:1", "x")  # wrong type, or unknown command before lists exist
        raise AssertionError("expected an error")
    except redis.exceptions.ResponseError as e:
        assert str(e).startswith(("WRONGTYPE", "unknown command")), str(e)
    print("redis-py smoke: ok")


if __name__ == "__main__":
    main(int(sys.argv[1]))
