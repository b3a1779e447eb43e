// The helper every parser test asserts through (ParserFeeder.h): it must tell
// a request the parser accepted from one it never finished, or the
// "accepted" assertions would pass on a parser that stalls.
#include <cppunit/extensions/HelperMacros.h>

#include "ParserFeeder.h"

using namespace rportd::http::test;

class ParserFeederTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ParserFeederTest);
    CPPUNIT_TEST(tellsAcceptedRejectedAndStalledApart);
    CPPUNIT_TEST(rejectionFailsOnAStalledParser);
    CPPUNIT_TEST_SUITE_END();

public:
    void tellsAcceptedRejectedAndStalledApart() {
        CPPUNIT_ASSERT_EQUAL(int(Verdict::Accepted),
                             int(verdictOn("GET / HTTP/1.1\r\nHost: a\r\n\r\n").kind));
        const Verdict rejected = verdictOn("GET / HTTP/2.0\r\nHost: a\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL(int(Verdict::Rejected), int(rejected.kind));
        CPPUNIT_ASSERT_EQUAL(505, rejected.status);
        // No blank line after the fields, or a body shorter than announced:
        // the parser waits for more.
        CPPUNIT_ASSERT_EQUAL(int(Verdict::Stalled),
                             int(verdictOn("GET / HTTP/1.1\r\nHost: a\r\n").kind));
        CPPUNIT_ASSERT_EQUAL(
            int(Verdict::Stalled),
            int(verdictOn("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab").kind));
    }

    void rejectionFailsOnAStalledParser() {
        CPPUNIT_ASSERT_EQUAL(0, rejection("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        CPPUNIT_ASSERT_THROW(rejection("GET / HTTP/1.1\r\nHost: a\r\n"), CppUnit::Exception);
        CPPUNIT_ASSERT_THROW(
            rejection(
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"),
            CppUnit::Exception);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ParserFeederTest);
