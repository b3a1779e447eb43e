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
    CPPUNIT_TEST(requiresCrlfThroughoutTheChunkedFraming);
    CPPUNIT_TEST(checksChunkExtensionSyntax);
    CPPUNIT_TEST(acceptsLeadingZerosInChunkSizes);
    CPPUNIT_TEST(rejectsMalformedTrailerFields);
    CPPUNIT_TEST(flagsChunkedBodyOverTheLimit);
    CPPUNIT_TEST(limitsTrailers);
    CPPUNIT_TEST(rejectsConflictingOrUnknownFraming);
    CPPUNIT_TEST(requiresChunkedAsTheFinalTransferCoding);
    CPPUNIT_TEST(rejectsTransferEncodingInHttp10);
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

        // A bare LF ends the head's lines (RFC 9112 2.2), not the chunked framing's.
        ParseOutcome bareLfHead = parseBothWays("POST /u HTTP/1.1\nHost: a\ntransfer-encoding: Chunked\n\n3\r\nabc\r\n0\r\n\r\n");
        CPPUNIT_ASSERT(bareLfHead.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), bareLfHead.request.body);

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

    void requiresCrlfThroughoutTheChunkedFraming() {
        const std::string head = "Transfer-Encoding: chunked\r\n";
        CPPUNIT_ASSERT_EQUAL(0, rejection(post(head, "3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n")));
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "3\nabc\r\n0\r\n\r\n")));        // chunk-size line
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "3;a=b\nabc\r\n0\r\n\r\n")));    // ... with an extension
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "3\r\nabc\n0\r\n\r\n")));        // after the chunk data
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "3\r\nabc\r\n0\n\r\n")));        // last-chunk line
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "3\r\nabc\r\n0\r\nX-T: 1\n\r\n")));  // trailer field
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "3\r\nabc\r\n0\r\n\n")));        // end of the trailers
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "3\r\nabc\r\n0\r\r\n\r\n")));  // bare CR
        CPPUNIT_ASSERT_EQUAL(400, rejection(post("transfer-encoding: Chunked\n", "3\nabc\n0\n\n")));
    }

    void checksChunkExtensionSyntax() {
        const std::string head = "Transfer-Encoding: chunked\r\n";
        for (const char* ext : {";a", ";a=b", ";a=b;c", " ;a", "\t; a = b", ";a=\"\"", ";a=\"q \\\" ;=\"",
                                ";a=\"\xC3\xBC\"", ";!#$%&'*+-.^_`|~=x", ";a=b ;c=\"d\""}) {
            ParseOutcome o = parseBothWays(post(head, std::string("3") + ext + "\r\nabc\r\n0\r\n\r\n"));
            CPPUNIT_ASSERT_MESSAGE(ext, o.status == ParseStatus::Complete);
            CPPUNIT_ASSERT_EQUAL(std::string("abc"), o.request.body);
        }
        for (const char* ext : {";", "; ", ";=b", ";a=", ";a= ", ";a b", ";a=b c", ";a=b;", ";a=\"open", ";a=\"x\"y",
                                ";a=\"x\\", ";a=b,c", ";a=\"\x01\"", ";a@=b", " ", "\t", "x", ";a=b ", ";a "}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(ext, 400, rejection(post(head, std::string("3") + ext + "\r\nabc\r\n0\r\n\r\n")));
        }
        // The last chunk may carry extensions as well, checked alike.
        CPPUNIT_ASSERT_EQUAL(0, rejection(post(head, "0;done\r\n\r\n")));
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "0;\r\n\r\n")));
    }

    void acceptsLeadingZerosInChunkSizes() {
        const std::string head = "Transfer-Encoding: chunked\r\n";
        ParseOutcome o = parseBothWays(post(head, "00000000000000000000003\r\nabc\r\n0000\r\n\r\n"));
        CPPUNIT_ASSERT(o.status == ParseStatus::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), o.request.body);
        // Fifteen significant hex digits pass the parser (and exceed the body limit); sixteen are refused.
        ParseOutcome big = parseBothWays(post(head, "0FFFFFFFFFFFFFFF\r\n"));
        CPPUNIT_ASSERT(big.status == ParseStatus::Complete);
        CPPUNIT_ASSERT(big.request.bodyTooLarge);
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "0FFFFFFFFFFFFFFFF\r\n")));
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "FFFFFFFFFFFFFFFFFFFFFFFF\r\n")));
    }

    void rejectsMalformedTrailerFields() {
        const std::string head = "Transfer-Encoding: chunked\r\n";
        ParseOutcome ok = parseBothWays(post(head, "3\r\nabc\r\n0\r\nX-A: 1\r\nX-B:\r\nX-C: Gr\xC3\xBC\xC3\x9F\r\n\r\n"));
        CPPUNIT_ASSERT(ok.status == ParseStatus::Complete);
        CPPUNIT_ASSERT(ok.request.header("X-A") == nullptr);  // checked, then dropped
        for (const std::string& trailer :
             {std::string("NoColon"), std::string(": empty name"), std::string("X(A): 1"), std::string("X-A : 1"),
              std::string("X-A\t: 1"), std::string(" X-A: 1"), std::string("\tX-A: 1"), std::string("X-A: 1\x01"),
              std::string("X-A: a\rb"), std::string("X-A: a\x7F"), std::string("X-A: a\0b", 9)}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(trailer, 400, rejection(post(head, "0\r\n" + trailer + "\r\n\r\n")));
        }
        // obs-fold: a continuation line after a valid trailer field.
        CPPUNIT_ASSERT_EQUAL(400, rejection(post(head, "0\r\nX-A: 1\r\n  folded\r\n\r\n")));
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
        CPPUNIT_ASSERT_EQUAL(501, rejection(post("Transfer-Encoding: gzip, chunked\r\n")));
        CPPUNIT_ASSERT_EQUAL(400, rejection(post("Content-Length: 0\r\nTransfer-Encoding: gzip, chunked\r\n")));
    }

    void requiresChunkedAsTheFinalTransferCoding() {
        // RFC 9112 6.3: without a final chunked the body length is unknown: 400.
        for (const char* codings : {"gzip", "identity", "chunked, gzip", "chunked, chunked", "gzip, chunked, chunked",
                                    "chunked;x=1", "", ",", "chunkedx", "chunked gzip"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(codings, 400,
                                         rejection(post(std::string("Transfer-Encoding: ") + codings + "\r\n", "0\r\n\r\n")));
        }
        // A coding we do not implement before the final chunked: 501.
        CPPUNIT_ASSERT_EQUAL(501, rejection(post("Transfer-Encoding: deflate , Chunked\r\n", "0\r\n\r\n")));
        // Empty list elements are ignored (RFC 9110 5.6.1).
        for (const char* codings : {"CHUNKED", " , chunked", "chunked ,", ",,chunked,,"}) {
            ParseOutcome o = parseBothWays(post(std::string("Transfer-Encoding: ") + codings + "\r\n", "2\r\nok\r\n0\r\n\r\n"));
            CPPUNIT_ASSERT_MESSAGE(codings, o.status == ParseStatus::Complete);
            CPPUNIT_ASSERT_EQUAL(std::string("ok"), o.request.body);
        }
    }

    void rejectsTransferEncodingInHttp10() {
        // RFC 9112 6.1: faulty framing in HTTP/1.0; the connection closes.
        CPPUNIT_ASSERT_EQUAL(400, rejection("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(400, rejection("POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"));
        // Content-Length framing stays fine in HTTP/1.0.
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), parseBothWays("POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\nok").request.body);
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
