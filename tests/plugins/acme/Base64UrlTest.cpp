// base64url without padding: RFC 4648's vectors, the URL-safe alphabet, and
// refusal of everything an encoder would not produce.
#include <cppunit/extensions/HelperMacros.h>

#include <random>

#include "Base64Url.h"

using namespace rport::plugins::acme;

class Base64UrlTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(Base64UrlTest);
    CPPUNIT_TEST(rfc4648Vectors);
    CPPUNIT_TEST(urlSafeAlphabet);
    CPPUNIT_TEST(roundTrip);
    CPPUNIT_TEST(refusesWhatNoEncoderMakes);
    CPPUNIT_TEST(tokenCharacters);
    CPPUNIT_TEST_SUITE_END();

public:
    void rfc4648Vectors() {
        const std::pair<const char*, const char*> vectors[] = {
            {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
            {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
        for (const auto& [plain, encoded] : vectors) {
            CPPUNIT_ASSERT_EQUAL(std::string(encoded), base64UrlEncode(plain));
            CPPUNIT_ASSERT_EQUAL(std::string(plain), *base64UrlDecode(encoded));
        }
    }

    void urlSafeAlphabet() {
        // 0xfb 0xff would be "+/8=" in standard base64.
        CPPUNIT_ASSERT_EQUAL(std::string("-_8"), base64UrlEncode(std::string("\xfb\xff", 2)));
        CPPUNIT_ASSERT_EQUAL(std::string("\xfb\xff", 2), *base64UrlDecode("-_8"));
    }

    void roundTrip() {
        std::mt19937 random(7);
        for (size_t len = 0; len < 70; ++len) {
            std::string bytes(len, '\0');
            for (char& c : bytes) c = char(random());
            const std::string text = base64UrlEncode(bytes);
            CPPUNIT_ASSERT(text.find('=') == std::string::npos);
            CPPUNIT_ASSERT_EQUAL(bytes, *base64UrlDecode(text));
        }
    }

    void refusesWhatNoEncoderMakes() {
        CPPUNIT_ASSERT(!base64UrlDecode("Zg=="));    // padding
        CPPUNIT_ASSERT(!base64UrlDecode("Zm9v+g"));  // standard alphabet
        CPPUNIT_ASSERT(!base64UrlDecode("Zm9v/g"));
        CPPUNIT_ASSERT(!base64UrlDecode("Zm9vY"));  // 4k+1 characters
        CPPUNIT_ASSERT(!base64UrlDecode("Zh"));     // low bits not zero: not canonical
        CPPUNIT_ASSERT(!base64UrlDecode("Zm 9v"));
    }

    void tokenCharacters() {
        CPPUNIT_ASSERT(isBase64UrlText("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"));
        CPPUNIT_ASSERT(!isBase64UrlText(""));
        CPPUNIT_ASSERT(!isBase64UrlText("../../etc/passwd"));
        CPPUNIT_ASSERT(!isBase64UrlText("abc%2F"));
        CPPUNIT_ASSERT(!isBase64UrlText("abc\n"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Base64UrlTest);
