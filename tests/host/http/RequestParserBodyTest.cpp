// Bodies: Content-Length, chunked (with every split of chunk headers), the
// body limit, Expect: 100-continue, and the framing errors.
#include <cppunit/extensions/HelperMacros.h>

#include "ParserFeeder.h"

using namespace rportd::http;
using namespace rportd::http::test;

namespace {

std::string post(const std::string& headers, const std::string& body = "") {
    return "POST /upload HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n" + body;
}

}  // namespace

class RequestParserBodyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RequestParserBodyTest);
    CPPUNIT_TEST(readsContentLengthBodyAndNoMore);
    CPPUNIT_TEST(treatsMissingOrZeroLengthAsNoBody);
    CPPUNIT_TEST(rejectsBadContentLength);
    CPPUNIT_TEST(acceptsRepeatedEqualContentLength);
    CPPUNIT_TEST(flagsContentLengthOverTheLimitWithoutReadingIt);
    CPPUNIT_TEST(decodesChunkedBodies);
    CPPUNIT_TEST(rejectsBadChunks);
    CPPUNIT_TEST(flagsChunkedBodyOverTheLimit);
    CPPUNIT_TEST(limitsTrailers);
    CPPUNIT_TEST(rejectsConflictingOrUnknownFraming);
    CPPUNIT_TEST(asksForContinueOnlyWhenTheBodyIsWanted);
    CPPUNIT_TEST_SUITE_END();

public:
    void readsContentLengthBodyAndNoMore() {
        const std::string request = post("Content-Length: 11\r\n", "hello world");
        ParseOutcome o = parseBothWays(request + "GET /next HTTP/1.1\r\n");
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("hello world"), o.request.body);
        CPPUNIT_ASSERT_EQUAL(request.size(), o.consumed);
        CPPUNIT_ASSERT(!o.request.bodyTooLarge);

        ParseOutcome partial = parseBothWays(post("Content-Length: 11\r\n", "hello"));
        CPPUNIT_ASSERT(partial.status == ParseStatus::NeedMore);
    }

    void treatsMissingOrZeroLengthAsNoBody() {
        const std::string zero = post("Content-Length: 0\r\n");
        ParseOutcome o = parseBothWays(zero + "junk");
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(zero.size(), o.consumed);
        CPPUNIT_ASSERT(o.request.body.empty());
        CPPUNIT_ASSERT_EQUAL(post("").size(), parseBothWays(post("") + "junk").consumed);
    }

    void rejectsBadContentLength() {
        for (const char* value : {"abc", "-1", "+5", "1 2", "", "0x10", "5;", "1234567890123456789"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(value, 400, rejection(post(std::string("Content-Length: ") + value + "\r\n")));
        }
        CPPUNIT_ASSERT_EQUAL(400, rejection(post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!")));
        CPPUNIT_ASSERT_EQUAL(400, rejection(post("Content-Length: 5, 6\r\n", "hello!")));
        CPPUNIT_ASSERT_EQUAL(400, rejection(post("Content-Length: 5,\r\n", "hello")));
    }

    void acceptsRepeatedEqualContentLength() {
        ParseOutcome o = parseBothWays(post("Content-Length: 5\r\ncontent-length: 5\r\n", "hello"));
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("hello"), o.request.body);
        CPPUNIT_ASSERT_EQUAL(std::string("hello"), parseBothWays(post("Content-Length: 5 , 5\r\n", "hello")).request.body);
    }

    void flagsContentLengthOverTheLimitWithoutReadingIt() {
        ParserLimits limits;
        limits.maxBodyBytes = 10;
        CPPUNIT_ASSERT_EQUAL(std::string(10, 'b'),
                             parseBothWays(post("Content-Length: 10\r\n", std::string(10, 'b')), limits).request.body);
        const std::string head = post("Content-Length: 11\r\n");
        ParseOutcome o = parseBothWays(head + std::string(11, 'b'), limits);
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT(o.request.bodyTooLarge);
        CPPUNIT_ASSERT(o.request.body.empty());
        CPPUNIT_ASSERT_EQUAL(head.size(), o.consumed);  // not one byte of the body

        ParseOutcome huge = parseBothWays(post("Content-Length: 10485760\r\n"));
        CPPUNIT_ASSERT(huge.status == ParseStatus::Complete);
        CPPUNIT_ASSERT(huge.request.bodyTooLarge);
    }

    void decodesChunkedBodies() {
        const std::string request = post("Transfer-Encoding: chunked\r\n",
                                         "5\r\nhello\r\n"
                                         "6;name=value;x=\"q\"\r\n world\r\n"
                                         "A  ; ext\r\n, chunked!\r\n"
                                         "0\r\n"
                                         "X-Trailer: ignored\r\n"
                                         "\r\n");
        ParseOutcome o = parseBothWays(request + "GET /next");
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("hello world, chunked!"), o.request.body);
        CPPUNIT_ASSERT_EQUAL(request.size(), o.consumed);
        CPPUNIT_ASSERT(o.request.header("X-Trailer") == nullptr);  // trailers are skipped

        ParseOutcome bareLf = parseBothWays(post("transfer-encoding: Chunked\n", "3\nabc\n0\n\n"));
        CPPUNIT_ASSERT(bareLf.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), bareLf.request.body);

        ParseOutcome unfinished = parseBothWays(post("Transfer-Encoding: chunked\r\n", "5\r\nhel"));
        CPPUNIT_ASSERT(unfinished.status == ParseStatus::NeedMore);
    }

    void rejectsBadChunks() {
        const std::string head = "Transfer-Encoding: chunked\r\n";
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "zz\r\nhello\r\n0\r\n\r\n")));
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "\r\n")));
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "5 x\r\nhello\r\n0\r\n\r\n")));
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "5\r\nhelloXX0\r\n\r\n")));  // no CRLF after the data
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "5\r\nhello\r\r\n0\r\n\r\n")));
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "1000000000000000\r\n")));  // 16 hex digits
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "5;" + std::string(5000, 'e'))));
    }

    void flagsChunkedBodyOverTheLimit() {
        ParserLimits limits;
        limits.maxBodyBytes = 8;
        const std::string head = post("Transfer-Encoding: chunked\r\n");
        ParseOutcome fits = parseBothWays(head + "4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n", limits);
        CPPUNIT_ASSERT_EQUAL(std::string("abcdefgh"), fits.request.body);
        const std::string upToLimit = head + "4\r\nabcd\r\n4\r\nefgh\r\n1\r\n";
        ParseOutcome over = parseBothWays(upToLimit + "i\r\n0\r\n\r\n", limits);
        CPPUNIT_ASSERT(over.status == ParseStatus::Complete);
        CPPUNIT_ASSERT(over.request.bodyTooLarge);
        CPPUNIT_ASSERT(over.request.body.empty());
        CPPUNIT_ASSERT_EQUAL(upToLimit.size(), over.consumed);  // stopped at the chunk that does not fit
    }

    void limitsTrailers() {
        ParserLimits limits;
        limits.maxHeaderBytes = 100;
        const std::string head = post("Transfer-Encoding: chunked\r\n");
        CPPUNIT_ASSERT_EQUAL(431, rejection(head + "0\r\nX-T: " + std::string(100, 't') + "\r\n\r\n", limits));
    }

    void rejectsConflictingOrUnknownFraming() {
        CPPUNIT_ASSERT_EQUAL(400, rejection(post("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")));
        CPPUNIT_ASSERT_EQUAL(400, rejection(post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")));
        CPPUNIT_ASSERT_EQUAL(501, rejection(post("Transfer-Encoding: gzip\r\n")));
        CPPUNIT_ASSERT_EQUAL(501, rejection(post("Transfer-Encoding: gzip, chunked\r\n")));
    }

    void asksForContinueOnlyWhenTheBodyIsWanted() {
        ParseOutcome o = parseBothWays(post("Expect: 100-continue\r\nContent-Length: 3\r\n", "abc"));
        CPPUNIT_ASSERT(o.sawContinue);
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), o.request.body);

        // The ExpectContinue stop comes right after the head, before any body byte.
        RequestParser parser{ParserLimits()};
        const std::string text = post("Expect: 100-Continue\r\nContent-Length: 3\r\n", "abc");
        size_t used = 0;
        CPPUNIT_ASSERT(parser.parse(text.data(), text.size(), used) == ParseStatus::ExpectContinue);
        CPPUNIT_ASSERT_EQUAL(text.size() - 3, used);

        ParseOutcome chunked = parseBothWays(post("Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"));
        CPPUNIT_ASSERT(chunked.sawContinue);

        ParserLimits limits;
        limits.maxBodyBytes = 2;
        ParseOutcome tooLarge = parseBothWays(post("Expect: 100-continue\r\nContent-Length: 3\r\n"), limits);
        CPPUNIT_ASSERT(!tooLarge.sawContinue);  // answered at once instead
        CPPUNIT_ASSERT(tooLarge.request.bodyTooLarge);

        CPPUNIT_ASSERT(!parseBothWays(post("Expect: 100-continue\r\n")).sawContinue);  // no body: nothing to wait for
        ParseOutcome http10 = parseBothWays("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx");
        CPPUNIT_ASSERT(!http10.sawContinue);
        CPPUNIT_ASSERT(http10.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(417, rejection(post("Expect: something-else\r\nContent-Length: 1\r\n", "x")));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestParserBodyTest);
