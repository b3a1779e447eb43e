// Strict UTF-8: what is a character, what is not.
#include <cppunit/extensions/HelperMacros.h>

#include "util/Utf8.h"

using rportd::util::isUtf8;
using rportd::util::utf8CharAt;

class Utf8Test : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(Utf8Test);
    CPPUNIT_TEST(decodesOneToFourByteCharacters);
    CPPUNIT_TEST(refusesMalformedSequences);
    CPPUNIT_TEST(checksWholeTexts);
    CPPUNIT_TEST_SUITE_END();

public:
    void decodesOneToFourByteCharacters() {
        const std::string text = "a\xc3\xa9\xe2\x80\xa8\xf0\x9f\x94\x91";  // a é U+2028 🔑
        auto a = utf8CharAt(text, 0);
        CPPUNIT_ASSERT_EQUAL(size_t(1), a.length);
        CPPUNIT_ASSERT(a.codePoint == U'a');
        auto e = utf8CharAt(text, 1);
        CPPUNIT_ASSERT_EQUAL(size_t(2), e.length);
        CPPUNIT_ASSERT(e.codePoint == 0xE9);
        auto separator = utf8CharAt(text, 3);
        CPPUNIT_ASSERT_EQUAL(size_t(3), separator.length);
        CPPUNIT_ASSERT(separator.codePoint == 0x2028);
        auto key = utf8CharAt(text, 6);
        CPPUNIT_ASSERT_EQUAL(size_t(4), key.length);
        CPPUNIT_ASSERT(key.codePoint == 0x1F511);
        // C1 controls are characters too (U+0085 is NEL).
        CPPUNIT_ASSERT(utf8CharAt("\xc2\x85", 0).codePoint == 0x85);
    }

    void refusesMalformedSequences() {
        for (const char* bad :
             {"\x80", "\xbf", "\xc3", "\xc3(", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
              "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xf0\x9f\x94", "\xff"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, size_t(0), utf8CharAt(bad, 0).length);
            CPPUNIT_ASSERT_MESSAGE(bad, !isUtf8(bad));
        }
    }

    void checksWholeTexts() {
        CPPUNIT_ASSERT(isUtf8(""));
        CPPUNIT_ASSERT(isUtf8("plain ASCII, with\ttab"));
        CPPUNIT_ASSERT(isUtf8("gr\xc3\xbc\xc3\x9f \xf0\x9f\x94\x91"));
        CPPUNIT_ASSERT(isUtf8(std::string_view("nul\0inside", 10)));  // NUL is a character
        CPPUNIT_ASSERT(!isUtf8("ok until the end \xe2\x82"));
        CPPUNIT_ASSERT(!isUtf8("\xc3\xa9\xa9"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Utf8Test);
