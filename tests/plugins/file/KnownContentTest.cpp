// KnownContent decides whether the file on disk is the version the store
// loaded or wrote. It must compare the bytes themselves: any digest short of
// the content lets some edit pass for the loaded version, and the next API
// write would then overwrite that edit.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "KnownContent.h"

using rport::plugins::file_auth::KnownContent;

class KnownContentTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(KnownContentTest);
    CPPUNIT_TEST(matchesExactlyTheRememberedBytes);
    CPPUNIT_TEST(everySingleByteChangeIsNoticed);
    CPPUNIT_TEST(lengthChangesAreNoticed);
    CPPUNIT_TEST(bytesBeyondAnyPrefixCount);
    CPPUNIT_TEST(rememberingReplacesTheOldVersion);
    CPPUNIT_TEST_SUITE_END();

    // Same length, same byte sum, same set of bytes: what a weak digest
    // (size, checksum, sorted bytes) would take for the same file.
    static std::string swapped(std::string text, size_t a, size_t b) {
        std::swap(text[a], text[b]);
        return text;
    }

public:
    void matchesExactlyTheRememberedBytes() {
        KnownContent known;
        const std::string text = std::string("{\"a\": \"1\"}\n\0tail", 16);
        known.remember(text);
        CPPUNIT_ASSERT(known.matches(text));
        CPPUNIT_ASSERT(known.matches(std::string(text)));  // another buffer, same bytes
        CPPUNIT_ASSERT(!known.matches(swapped(text, 2, 7)));
        CPPUNIT_ASSERT(!known.matches(std::string("{\"a\": \"1\"}\n\0tall", 16)));
    }

    void everySingleByteChangeIsNoticed() {
        std::string text;
        for (int i = 0; i < 4096; ++i) text += static_cast<char>('a' + i % 26);
        KnownContent known;
        known.remember(text);
        for (size_t at = 0; at < text.size(); ++at) {
            std::string edited = text;
            edited[at] = static_cast<char>(edited[at] ^ 0x01);
            CPPUNIT_ASSERT_MESSAGE("byte " + std::to_string(at), !known.matches(edited));
        }
        CPPUNIT_ASSERT(known.matches(text));
    }

    void lengthChangesAreNoticed() {
        KnownContent known;
        known.remember("{}\n");
        CPPUNIT_ASSERT(!known.matches("{}"));
        CPPUNIT_ASSERT(!known.matches("{}\n\n"));
        CPPUNIT_ASSERT(!known.matches(std::string("{}\n\0", 4)));
        CPPUNIT_ASSERT(!known.matches(""));
    }

    // A comparison that looked at a sample (the first and last pages, say)
    // would miss an edit in the middle of a large file.
    void bytesBeyondAnyPrefixCount() {
        std::string large(3 << 20, 'x');
        KnownContent known;
        known.remember(large);
        large[large.size() / 2] = 'y';
        CPPUNIT_ASSERT(!known.matches(large));
    }

    void rememberingReplacesTheOldVersion() {
        KnownContent known;
        known.remember("old");
        known.remember("new");
        CPPUNIT_ASSERT(known.matches("new"));
        CPPUNIT_ASSERT(!known.matches("old"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(KnownContentTest);
