#include <cppunit/extensions/HelperMacros.h>

#include "util/QuotedText.h"

using rportd::util::quotedForLog;

class QuotedTextTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(QuotedTextTest);
    CPPUNIT_TEST(plainValuesAreQuoted);
    CPPUNIT_TEST(lineBreaksAndControlBytesCannotForgeLines);
    CPPUNIT_TEST(longValuesAreCut);
    CPPUNIT_TEST_SUITE_END();

public:
    void plainValuesAreQuoted() {
        CPPUNIT_ASSERT_EQUAL(std::string("\"clientAuth1\""), quotedForLog("clientAuth1"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"a\\\"b\\\\c\""), quotedForLog("a\"b\\c"));
    }

    void lineBreaksAndControlBytesCannotForgeLines() {
        std::string forged = quotedForLog("x\n2026/01/01 00:00:00 info: fake\x1b[0m\xff");
        CPPUNIT_ASSERT(forged.find('\n') == std::string::npos);
        CPPUNIT_ASSERT(forged.find('\x1b') == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("\"x\\n2026/01/01 00:00:00 info: fake\\x1b[0m\\xff\""),
                             forged);
    }

    void longValuesAreCut() {
        std::string cut = quotedForLog(std::string(1000, 'a'), 10);
        CPPUNIT_ASSERT_EQUAL(std::string("\"aaaaaaaaaa\"..."), cut);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(QuotedTextTest);
