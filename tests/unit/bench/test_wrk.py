"""wrk's output read by the bench, and the script spreading requests over studios, by exact output."""

from bench import wrk

OUTPUT = """Running 8s test @ https://abbey.studio.test/dashboard
  2 threads and 32 connections
  Latency Distribution
     50%  281.33ms
     75%  373.96ms
     90%  484.90ms
     99%    1.24s
  853 requests in 8.01s, 3.62MB read
  Socket errors: connect 1, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 12
Requests/sec:    106.54
Transfer/sec:    462.71KB
status 200: 841
status 503: 12
"""


def test_parse_reads_rate_percentiles_in_ms_and_failures():
    assert wrk.parse(OUTPUT) == {
        "requests_per_second": 106.54,
        "p50_ms": 281.3,
        "p99_ms": 1240.0,
        "requests": 853,
        "failed": 16,  # 12 non-2xx/3xx + 1 connect error + 3 timeouts
        "statuses": {"200": 841, "503": 12},
    }


def test_parse_of_a_clean_run_counts_no_failure():
    clean = OUTPUT.replace("  Socket errors: connect 1, read 0, write 0, timeout 3\n", "").replace(
        "  Non-2xx or 3xx responses: 12\n", ""
    )
    assert wrk.parse(clean)["failed"] == 0


def test_rotating_script_sends_each_request_to_the_next_studio_with_its_cookie():
    assert wrk.rotating_script("/dashboard", [("a.studio.test", "sid-a"), ("b.studio.test", "sid-b")]) == (
        "local studios = {\n"
        '  {"a.studio.test", "sid-a"},\n'
        '  {"b.studio.test", "sid-b"}\n'
        "}\n"
        "local i = math.random(#studios)\n"
        "request = function()\n"
        "  i = i % #studios + 1\n"
        '  return wrk.format("GET", "/dashboard", {["Host"] = studios[i][1], ["Cookie"] = "rsm_session=" .. '
        "studios[i][2]})\n"
        "end\n"
    )


def test_fresh_script_asks_for_the_page_with_a_query_string_no_request_used_before():
    assert wrk.fresh_script("/dashboard") == (
        'local thread = tostring({}):gsub("%W", "")\n'
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        '  return wrk.format("GET", "/dashboard?fresh=" .. thread .. "-" .. n)\n'
        "end\n"
    )
