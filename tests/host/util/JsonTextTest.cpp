// Reading JSON text in place: the strict check, members and elements as
// spans, string decoding with Go's surrogate rules, compacting.
#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

#include "util/JsonText.h"

namespace json = rportd::util::json;

class JsonTextTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonTextTest);
    CPPUNIT_TEST(validatesStrictly);
    CPPUNIT_TEST(readsMembersAndElementsAsSpans);
    CPPUNIT_TEST(decodesStrings);
    CPPUNIT_TEST(compactsWithoutTouchingStrings);
    CPPUNIT_TEST_SUITE_END();

public:
    void validatesStrictly() {
        for (const char* ok :
             {"{}", " [1, -0.5e+3, true, null, \"x\"] ", "\"\\u00e9\"", "0", "{\"a\":{\"b\":[]}}"})
            CPPUNIT_ASSERT_NO_THROW_MESSAGE(ok, json::validate(ok));
        for (const char* bad : {"", "{", "[1,]", "{\"a\"}", "01", "1.", "-", "tru", "\"\\q\"",
                                "\"a", "{} {}", "NaN", "'a'", "\"\x01\""})
            CPPUNIT_ASSERT_THROW_MESSAGE(bad, json::validate(bad), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(json::validate(std::string(300, '[') + std::string(300, ']')),
                             std::invalid_argument);
    }

    void readsMembersAndElementsAsSpans() {
        auto m = json::members(
            " { \"a\" : [1, {\"x\":\"]\"}] , \"b\\u0041\":\"q\\\"}\" , \"c\":null } ");
        CPPUNIT_ASSERT_EQUAL(size_t(3), m.size());
        CPPUNIT_ASSERT_EQUAL(std::string("a"), m[0].first);
        CPPUNIT_ASSERT_EQUAL(std::string("[1, {\"x\":\"]\"}]"), std::string(m[0].second));
        CPPUNIT_ASSERT_EQUAL(std::string("bA"), m[1].first);
        CPPUNIT_ASSERT_EQUAL(std::string("\"q\\\"}\""), std::string(m[1].second));
        CPPUNIT_ASSERT(json::kindOf(m[2].second) == json::Kind::Null);
        auto e = json::elements("[ 1 ,\"a,b\", [2,3] ,{} ]");
        CPPUNIT_ASSERT_EQUAL(size_t(4), e.size());
        CPPUNIT_ASSERT_EQUAL(std::string("\"a,b\""), std::string(e[1]));
        CPPUNIT_ASSERT_EQUAL(std::string("[2,3]"), std::string(e[2]));
        CPPUNIT_ASSERT(json::elements("[]").empty());
        CPPUNIT_ASSERT(json::members("{}").empty());
    }

    void decodesStrings() {
        CPPUNIT_ASSERT_EQUAL(std::string("a\"b\\c/d\n\t"),
                             json::decodeString("\"a\\\"b\\\\c\\/d\\n\\t\""));
        CPPUNIT_ASSERT_EQUAL(std::string("\xC3\xA9\xE2\x82\xAC"),
                             json::decodeString("\"\\u00e9\\u20AC\""));
        CPPUNIT_ASSERT_EQUAL(std::string("\xF0\x9F\x98\x80"),
                             json::decodeString("\"\\ud83d\\ude00\""));
        // A lone surrogate becomes U+FFFD, as in Go.
        CPPUNIT_ASSERT_EQUAL(std::string("\xEF\xBF\xBDx"), json::decodeString("\"\\ud83dx\""));
        CPPUNIT_ASSERT_EQUAL(std::string("\xEF\xBF\xBD"), json::decodeString("\"\\ude00\""));
    }

    void compactsWithoutTouchingStrings() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("{\"a b\":[1,\"x \\\" y\"],\"c\":\"\\u003c\"}"),
            json::compact(" {\n \"a b\" : [ 1 , \"x \\\" y\" ] ,\t\"c\" : \"\\u003c\" } "));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonTextTest);
