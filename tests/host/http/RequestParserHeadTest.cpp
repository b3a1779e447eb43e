// The request line and header fields: what is accepted, what is rejected with
// which status, and the limits. Every case is parsed whole and byte by byte.
#include <cppunit/extensions/HelperMacros.h>

#include "ParserFeeder.h"

using namespace rportd::http;
using namespace rportd::http::test;
using namespace std::string_literals;  // "..."s keeps embedded NUL bytes

class RequestParserHeadTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RequestParserHeadTest);
    CPPUNIT_TEST(parsesRequestLineAndFields);
    CPPUNIT_TEST(acceptsBareLineFeeds);
    CPPUNIT_TEST(skipsEmptyLinesBeforeTheRequest);
    CPPUNIT_TEST(decidesKeepAliveByVersionAndConnection);
    CPPUNIT_TEST(rejectsMalformedRequestLines);
    CPPUNIT_TEST(answersUnsupportedVersionsWith505);
    CPPUNIT_TEST(limitsMethodAndTarget);
    CPPUNIT_TEST(rejectsBadFields);
    CPPUNIT_TEST(limitsHeaderBytesAndFieldCount);
    CPPUNIT_TEST(requiresExactlyOneHostInHttp11);
    CPPUNIT_TEST(rejectsInvalidHostValues);
    CPPUNIT_TEST(turnsAbsoluteFormIntoOriginForm);
    CPPUNIT_TEST(rejectsInvalidAbsoluteTargets);
    CPPUNIT_TEST(acceptsAsteriskOnlyWithOptions);
    CPPUNIT_TEST(refusesConnectAndAuthorityForm);
    CPPUNIT_TEST(rejectsTargetsInNoKnownForm);
    CPPUNIT_TEST(stopsAtTheEndOfEachPipelinedRequest);
    CPPUNIT_TEST(resetKeepsPeerAndClearsTheRest);
    CPPUNIT_TEST_SUITE_END();

public:
    void parsesRequestLineAndFields() {
        ParseOutcome o = parseBothWays(
            "GET /api/v1/clients-auth?filter%5Bid%5D=a&x=1 HTTP/1.1\r\n"
            "Host: example\r\n"
            "Authorization:   Basic YWRtaW46Zm9vYmF6 \t\r\n"
            "X-Empty:\r\n"
            "x-dup: one\r\n"
            "X-Dup: two\r\n"
            "\r\n");
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        const HttpRequest& r = o.request;
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/clients-auth?filter%5Bid%5D=a&x=1"), r.target);
        CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/clients-auth"), std::string(r.path()));
        CPPUNIT_ASSERT_EQUAL(std::string("filter%5Bid%5D=a&x=1"), std::string(r.query()));
        CPPUNIT_ASSERT_EQUAL(1, r.versionMinor);
        CPPUNIT_ASSERT_EQUAL(size_t(5), r.headers.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Basic YWRtaW46Zm9vYmF6"), *r.header("authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), *r.header("X-EMPTY"));
        CPPUNIT_ASSERT_EQUAL(std::string("one"), *r.header("X-Dup"));  // the first occurrence
        CPPUNIT_ASSERT(r.header("Missing") == nullptr);
        CPPUNIT_ASSERT(r.body.empty());
        CPPUNIT_ASSERT(o.keepAlive);

        HttpRequest noQuery;
        noQuery.target = "/status";
        CPPUNIT_ASSERT_EQUAL(std::string("/status"), std::string(noQuery.path()));
        CPPUNIT_ASSERT(noQuery.query().empty());
    }

    void acceptsBareLineFeeds() {
        ParseOutcome o = parseBothWays("GET /x HTTP/1.1\nHost: a\nAccept: */*\n\n");
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("*/*"), *o.request.header("accept"));
    }

    void skipsEmptyLinesBeforeTheRequest() {
        ParseOutcome o = parseBothWays("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("/"), o.request.target);
    }

    void decidesKeepAliveByVersionAndConnection() {
        CPPUNIT_ASSERT(parseBothWays("GET / HTTP/1.1\r\nHost: a\r\n\r\n").keepAlive);
        CPPUNIT_ASSERT(!parseBothWays("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").keepAlive);
        CPPUNIT_ASSERT(!parseBothWays("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n").keepAlive);
        ParseOutcome old = parseBothWays("GET / HTTP/1.0\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL(0, old.request.versionMinor);
        CPPUNIT_ASSERT(!old.keepAlive);
        CPPUNIT_ASSERT(parseBothWays("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive);
    }

    void rejectsMalformedRequestLines() {
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET /\r\n\r\n"));                    // HTTP/0.9 style
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET  / HTTP/1.1\r\nHost: a\r\n\r\n"));  // two spaces
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.1 \r\nHost: a\r\n\r\n"));  // trailing space
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / http/1.1\r\nHost: a\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.10\r\nHost: a\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/x.1\r\nHost: a\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("G(T / HTTP/1.1\r\nHost: a\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection(" GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET /a\0b HTTP/1.1\r\nHost: a\r\n\r\n"s));
        CPPUNIT_ASSERT_EQUAL(400, rejection("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"s));  // TLS hello: no line end needed
    }

    void answersUnsupportedVersionsWith505() {
        CPPUNIT_ASSERT_EQUAL(505, rejection("GET / HTTP/2.0\r\nHost: a\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(505, rejection("GET / HTTP/0.9\r\nHost: a\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(505, rejection("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        // A later 1.x minor version is served as HTTP/1.1 (RFC 9110 2.5).
        ParseOutcome o = parseBothWays("GET / HTTP/1.7\r\nHost: a\r\n\r\n");
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(1, o.request.versionMinor);
    }

    void limitsMethodAndTarget() {
        const std::string method32(32, 'M');
        CPPUNIT_ASSERT_EQUAL(0, rejection(method32 + " / HTTP/1.1\r\nHost: a\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection(method32 + "M / HTTP/1.1\r\nHost: a\r\n\r\n"));

        const std::string target8192 = "/" + std::string(8191, 'a');
        ParseOutcome ok = parseBothWays("GET " + target8192 + " HTTP/1.1\r\nHost: a\r\n\r\n");
        CPPUNIT_ASSERT(ok.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(target8192, ok.request.target);
        CPPUNIT_ASSERT_EQUAL(414, rejection("GET " + target8192 + "a HTTP/1.1\r\nHost: a\r\n\r\n"));
        // Without an end of line in sight, the verdict comes once the line is too long to be valid.
        ParseOutcome endless = parseBothWays("GET /" + std::string(20000, 'a'));
        CPPUNIT_ASSERT(endless.status == ParseStatus::Failed);
        CPPUNIT_ASSERT_EQUAL(414, endless.errorStatus);
        CPPUNIT_ASSERT(endless.consumed < 9000);
        CPPUNIT_ASSERT_EQUAL(400, rejection(std::string(20000, 'G')));
    }

    void rejectsBadFields() {
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  folded\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.1\r\nHost: a\r\n\tX-A: 1\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.1\r\nHost: a\r\nX-A : 1\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.1\r\nHost: a\r\n: empty name\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.1\r\nHost: a\r\nX(A): 1\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r2\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\0002\r\n\r\n"s));
        // obs-text (bytes above 0x7F) in values is allowed.
        CPPUNIT_ASSERT_EQUAL(0, rejection("GET / HTTP/1.1\r\nHost: a\r\nX-Name: Gr\xC3\xBC\xC3\x9F\r\n\r\n"));
    }

    void limitsHeaderBytesAndFieldCount() {
        ParserLimits limits;
        limits.maxHeaderBytes = 200;
        const std::string line = "GET / HTTP/1.1\r\nHost: a\r\n";  // 25 bytes
        std::string fits = line + "X-Fill: " + std::string(200 - 25 - 10 - 2, 'f') + "\r\n\r\n";
        CPPUNIT_ASSERT_EQUAL(size_t(200), fits.size());
        CPPUNIT_ASSERT_EQUAL(0, rejection(fits, limits));
        CPPUNIT_ASSERT_EQUAL(431, rejection(line + "X-Fill: " + std::string(166, 'f') + "\r\n\r\n", limits));
        // A field line that never ends is cut off at the limit, not buffered forever.
        ParseOutcome endless = parseBothWays(line + "X-Fill: " + std::string(100000, 'f'), limits);
        CPPUNIT_ASSERT_EQUAL(431, endless.errorStatus);
        CPPUNIT_ASSERT(endless.consumed <= 200 + 1);

        std::string hundred = line;
        for (int i = 1; i < 100; ++i) hundred += "X-" + std::to_string(i) + ": v\r\n";
        CPPUNIT_ASSERT_EQUAL(0, rejection(hundred + "\r\n"));
        CPPUNIT_ASSERT_EQUAL(431, rejection(hundred + "X-100: v\r\n\r\n"));
    }

    void requiresExactlyOneHostInHttp11() {
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(0, rejection("GET / HTTP/1.0\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET / HTTP/1.0\r\nHost: a\r\nHOST: b\r\n\r\n"));
    }

    void rejectsInvalidHostValues() {
        // RFC 9112 3.2: a Host with an invalid value is a 400 like a missing one.
        for (const char* host : {"a b", "a/b", "a:x", "a:80:90", "[::1", "[::1]x", "[]", "user@a", "a%zz", "a\"b"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(host, 400,
                                         rejection(std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\n\r\n"));
        }
        for (const char* host : {"", "example.org", "example.org:3000", "127.0.0.1:0", "[::1]:8080", "[fe80::1%25eth0]",
                                 "xn--bcher-kva.example", "a%20b", "a:"}) {
            ParseOutcome o = parseBothWays(std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\n\r\n");
            CPPUNIT_ASSERT_MESSAGE(host, o.status == ParseStatus::Complete);
            CPPUNIT_ASSERT_EQUAL(std::string(host), o.request.authority);
        }
        CPPUNIT_ASSERT(parseBothWays("GET / HTTP/1.0\r\n\r\n").request.authority.empty());
    }

    void turnsAbsoluteFormIntoOriginForm() {
        ParseOutcome o = parseBothWays(
            "GET http://host:3000/api/v1/status?x=%41 HTTP/1.1\r\nHost: other.example\r\n\r\n");
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/status?x=%41"), o.request.target);
        CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/status"), std::string(o.request.path()));
        CPPUNIT_ASSERT_EQUAL(std::string("x=%41"), std::string(o.request.query()));
        CPPUNIT_ASSERT_EQUAL(std::string("http://host:3000/api/v1/status?x=%41"), o.request.absoluteTarget);
        // RFC 9112 3.2.2: the target's authority wins over Host.
        CPPUNIT_ASSERT_EQUAL(std::string("host:3000"), o.request.authority);

        // An empty path is "/"; the scheme is case-insensitive; https too; IPv6 literals.
        CPPUNIT_ASSERT_EQUAL(std::string("/"), parseBothWays("GET HTTP://h HTTP/1.1\r\nHost: h\r\n\r\n").request.target);
        CPPUNIT_ASSERT_EQUAL(std::string("/?q=1"),
                             parseBothWays("GET https://h?q=1 HTTP/1.1\r\nHost: h\r\n\r\n").request.target);
        ParseOutcome v6 = parseBothWays("DELETE http://[::1]:3000/a/b HTTP/1.1\r\nHost: [::1]:3000\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("/a/b"), v6.request.target);
        CPPUNIT_ASSERT_EQUAL(std::string("[::1]:3000"), v6.request.authority);
        // HTTP/1.0 without Host.
        CPPUNIT_ASSERT_EQUAL(std::string("/x"), parseBothWays("GET http://h/x HTTP/1.0\r\n\r\n").request.target);
        // Origin-form keeps no absolute target.
        CPPUNIT_ASSERT(parseBothWays("GET /x HTTP/1.1\r\nHost: h\r\n\r\n").request.absoluteTarget.empty());
    }

    void rejectsInvalidAbsoluteTargets() {
        for (const char* target : {"ftp://h/x", "http:/x", "http:x", "http//h/x", "://h/x", "http:///x", "http://?x",
                                   "http://user@h/x", "http://user:pw@h/x", "http://h:x/", "http://h:80:1/",
                                   "http://[::1/x", "http://h%zz/", "javascript://h/"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(target, 400,
                                         rejection(std::string("GET ") + target + " HTTP/1.1\r\nHost: h\r\n\r\n"));
        }
    }

    void acceptsAsteriskOnlyWithOptions() {
        ParseOutcome o = parseBothWays("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("*"), o.request.target);
        for (const char* method : {"GET", "HEAD", "POST", "DELETE"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method, 400, rejection(std::string(method) + " * HTTP/1.1\r\nHost: h\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("OPTIONS *x HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    void refusesConnectAndAuthorityForm() {
        // We are no proxy: CONNECT is refused and the connection closes.
        CPPUNIT_ASSERT_EQUAL(400, rejection("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("CONNECT / HTTP/1.1\r\nHost: h\r\n\r\n"));
        // authority-form with any other method.
        CPPUNIT_ASSERT_EQUAL(400, rejection("GET example.org:443 HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    void rejectsTargetsInNoKnownForm() {
        for (const char* target : {"api/v1/status", "x", "?a=b", "%2Fapi", "\\api", "#x"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(target, 400,
                                         rejection(std::string("GET ") + target + " HTTP/1.1\r\nHost: h\r\n\r\n"));
        }
    }

    void stopsAtTheEndOfEachPipelinedRequest() {
        const std::string first = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n";
        const std::string second = "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";
        const std::string third = "GET /three HTTP/1.1\r\nHost: a\r\n\r\n";
        const std::string all = first + second + third;
        ParseOutcome o = parseBothWays(all);
        CPPUNIT_ASSERT_EQUAL(first.size(), o.consumed);

        RequestParser parser{ParserLimits()};
        size_t offset = 0;
        std::vector<std::string> seen;
        while (offset < all.size()) {
            size_t used = 0;
            CPPUNIT_ASSERT(parser.parse(all.data() + offset, all.size() - offset, used) == ParseStatus::Complete);
            offset += used;
            seen.push_back(parser.request().target + "|" + parser.request().body);
            parser.reset();
        }
        CPPUNIT_ASSERT_EQUAL(size_t(3), seen.size());
        CPPUNIT_ASSERT_EQUAL(std::string("/one|"), seen[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("/two|abc"), seen[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("/three|"), seen[2]);
    }

    void resetKeepsPeerAndClearsTheRest() {
        RequestParser parser{ParserLimits()};
        parser.request().peerAddress = "::1";
        parser.request().peerPort = 4242;
        CPPUNIT_ASSERT(!parser.started());
        const std::string text = "POST http://h:1/ HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi";
        size_t used = 0;
        CPPUNIT_ASSERT(parser.parse(text.data(), text.size(), used) == ParseStatus::Complete);
        CPPUNIT_ASSERT(parser.started());
        CPPUNIT_ASSERT_EQUAL(std::string("h:1"), parser.request().authority);
        parser.reset();
        CPPUNIT_ASSERT(!parser.started());
        CPPUNIT_ASSERT(parser.request().method.empty());
        CPPUNIT_ASSERT(parser.request().target.empty());
        CPPUNIT_ASSERT(parser.request().absoluteTarget.empty());
        CPPUNIT_ASSERT(parser.request().authority.empty());
        CPPUNIT_ASSERT(parser.request().headers.empty());
        CPPUNIT_ASSERT(parser.request().body.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), parser.request().peerAddress);
        CPPUNIT_ASSERT_EQUAL(uint16_t(4242), parser.request().peerPort);
        CPPUNIT_ASSERT(parser.keepAlive());
        size_t none = 0;
        CPPUNIT_ASSERT(parser.parse(text.data(), 0, none) == ParseStatus::NeedMore);
        CPPUNIT_ASSERT(!parser.started());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestParserHeadTest);
