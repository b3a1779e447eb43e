// The bytes of a response: status line, framing headers, Date, 204/304/HEAD
// rules, header injection refused, and the JSON error bodies.
#include <cppunit/extensions/HelperMacros.h>

#include "http/ErrorBody.h"
#include "http/HttpDate.h"
#include "http/ResponseWriter.h"
#include "http/StatusReason.h"

using namespace rportd::http;

namespace {

// Whether text looks like "Sun, 06 Nov 1994 08:49:37 GMT": 'A' an upper-case
// letter, 'a' lower-case, '9' a digit, anything else itself.
bool hasShape(const std::string& text, const std::string& shape) {
    if (text.size() != shape.size()) return false;
    for (size_t i = 0; i < shape.size(); ++i) {
        const char c = text[i];
        const bool ok = shape[i] == 'A' ? (c >= 'A' && c <= 'Z')
                        : shape[i] == 'a' ? (c >= 'a' && c <= 'z')
                        : shape[i] == '9' ? (c >= '0' && c <= '9')
                                          : c == shape[i];
        if (!ok) return false;
    }
    return true;
}

// The response with its Date value replaced by "<date>" (checked for shape first).
std::string withoutDate(const std::string& wire) {
    const size_t start = wire.find("\r\nDate: ");
    CPPUNIT_ASSERT_MESSAGE(wire, start != std::string::npos);
    const size_t value = start + 8;
    CPPUNIT_ASSERT_MESSAGE(wire, hasShape(wire.substr(value, kHttpDateLength + 2), "Aaa, 99 Aaa 9999 99:99:99 GMT\r\n"));
    return wire.substr(0, value) + "<date>" + wire.substr(value + kHttpDateLength);
}

std::string write(const HttpResponse& response, ResponseFraming framing = ResponseFraming()) {
    std::string out;
    CPPUNIT_ASSERT(appendResponse(out, response, framing));
    return withoutDate(out);
}

}  // namespace

class ResponseWriterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ResponseWriterTest);
    CPPUNIT_TEST(writesStatusHeadersLengthDateAndBody);
    CPPUNIT_TEST(omitsLengthAndBodyFor204And304);
    CPPUNIT_TEST(sendsZeroLengthForEmptyBodies);
    CPPUNIT_TEST(answersHeadWithTheLengthButNoBody);
    CPPUNIT_TEST(saysConnectionCloseOrKeepAlive);
    CPPUNIT_TEST(ownsTheFramingHeaders);
    CPPUNIT_TEST(refusesUnsendableResponses);
    CPPUNIT_TEST(knowsReasonPhrases);
    CPPUNIT_TEST(formatsImfFixdate);
    CPPUNIT_TEST(writesJsonErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void writesStatusHeadersLengthDateAndBody() {
        HttpResponse r;
        r.headers.emplace_back("Content-Type", "application/json");
        r.body = R"({"ok":true})";
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
                                         "Date: <date>\r\n\r\n{\"ok\":true}"),
                             write(r));
    }

    void omitsLengthAndBodyFor204And304() {
        HttpResponse r;
        r.status = 204;
        r.body = "ignored";
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 204 No Content\r\nDate: <date>\r\n\r\n"), write(r));
        r.status = 304;
        r.headers.emplace_back("ETag", "\"x\"");
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nDate: <date>\r\n\r\n"), write(r));
    }

    void sendsZeroLengthForEmptyBodies() {
        HttpResponse r;
        r.status = 201;
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 201 Created\r\nContent-Length: 0\r\nDate: <date>\r\n\r\n"), write(r));
    }

    void answersHeadWithTheLengthButNoBody() {
        HttpResponse r;
        r.body = "12345";
        ResponseFraming head;
        head.headRequest = true;
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nDate: <date>\r\n\r\n"), write(r, head));
    }

    void saysConnectionCloseOrKeepAlive() {
        HttpResponse r;
        ResponseFraming close;
        close.close = true;
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nDate: <date>\r\nConnection: close\r\n\r\n"),
                             write(r, close));
        ResponseFraming old;
        old.http10KeepAlive = true;
        CPPUNIT_ASSERT_EQUAL(
            std::string("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nDate: <date>\r\nConnection: keep-alive\r\n\r\n"),
            write(r, old));
    }

    void ownsTheFramingHeaders() {
        HttpResponse r;
        r.body = "abc";
        r.headers = {{"content-length", "99"}, {"Transfer-Encoding", "chunked"}, {"Connection", "close"},
                     {"Date", "Tue, 01 Jan 2030 00:00:00 GMT"}};
        std::string out;
        CPPUNIT_ASSERT(appendResponse(out, r, ResponseFraming()));
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 200 OK\r\nDate: Tue, 01 Jan 2030 00:00:00 GMT\r\nContent-Length: 3\r\n\r\nabc"),
                             out);
        CPPUNIT_ASSERT(handlerAsksToClose(r));
        CPPUNIT_ASSERT(!handlerAsksToClose(HttpResponse()));
    }

    void refusesUnsendableResponses() {
        std::string out = "kept";
        HttpResponse injected;
        injected.headers.emplace_back("X-A", "1\r\nSet-Cookie: evil=1");
        CPPUNIT_ASSERT(!appendResponse(out, injected, ResponseFraming()));
        HttpResponse badName;
        badName.headers.emplace_back("X A", "1");
        CPPUNIT_ASSERT(!appendResponse(out, badName, ResponseFraming()));
        HttpResponse interim;
        interim.status = 100;
        CPPUNIT_ASSERT(!appendResponse(out, interim, ResponseFraming()));
        HttpResponse huge;
        huge.status = 600;
        CPPUNIT_ASSERT(!appendResponse(out, huge, ResponseFraming()));
        CPPUNIT_ASSERT_EQUAL(std::string("kept"), out);

        HttpResponse unknownCode;
        unknownCode.status = 299;
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 299 \r\nContent-Length: 0\r\nDate: <date>\r\n\r\n"), write(unknownCode));
    }

    void knowsReasonPhrases() {
        CPPUNIT_ASSERT_EQUAL(std::string("Bad Request"), std::string(reasonPhrase(400)));
        CPPUNIT_ASSERT_EQUAL(std::string("URI Too Long"), std::string(reasonPhrase(414)));
        CPPUNIT_ASSERT_EQUAL(std::string("Request Header Fields Too Large"), std::string(reasonPhrase(431)));
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP Version Not Supported"), std::string(reasonPhrase(505)));
        CPPUNIT_ASSERT_EQUAL(std::string("Conflict"), std::string(reasonPhrase(409)));
    }

    void formatsImfFixdate() {
        char text[kHttpDateLength];
        formatHttpDate(784111777, text);  // RFC 9110's example
        CPPUNIT_ASSERT_EQUAL(std::string("Sun, 06 Nov 1994 08:49:37 GMT"), std::string(text, kHttpDateLength));
        formatHttpDate(951782400, text);
        CPPUNIT_ASSERT_EQUAL(std::string("Tue, 29 Feb 2000 00:00:00 GMT"), std::string(text, kHttpDateLength));
        CPPUNIT_ASSERT_EQUAL(kHttpDateLength, currentHttpDate().size());
    }

    void writesJsonErrors() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"errors":[{"code":"ERR_CODE_BAD_REQUEST","title":"bad \"x\"\\","detail":""}]})"),
                             jsonErrorBody("ERR_CODE_BAD_REQUEST", "bad \"x\"\\"));
        std::string out;
        ResponseFraming close;
        close.close = true;
        appendErrorResponse(out, 431, "ERR_CODE_BAD_REQUEST", "request header fields too large", close);
        const std::string body =
            R"({"errors":[{"code":"ERR_CODE_BAD_REQUEST","title":"request header fields too large","detail":""}]})";
        CPPUNIT_ASSERT_EQUAL("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json\r\n"
                             "Content-Length: " + std::to_string(body.size()) +
                                 "\r\nDate: <date>\r\nConnection: close\r\n\r\n" + body,
                             withoutDate(out));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ResponseWriterTest);
