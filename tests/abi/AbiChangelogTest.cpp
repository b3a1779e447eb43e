// The ABI changelog heading plugin.h and its copy in docs/sdk.md §10: every
// minor up to the header's own has a dated line in both, and no line a frozen
// copy shipped with was edited afterwards. Together with the pins (a layout
// change fails the build until a new minor pins it) this keeps a change of the
// contract from going out without a changelog line.
#include <cppunit/extensions/HelperMacros.h>

#include <regex>
#include <rport/plugin.h>
#include <string>

#include "TempDir.h"

using rport::test::readFile;
using rport::test::sourceDir;

namespace {

// The changelog block of a plugin.h: from its heading to the blank comment
// line that ends it.
std::string changelogOf(const std::string& header) {
    const size_t start = header.find(" * ABI changelog");
    if (start == std::string::npos) return {};
    const size_t end = header.find("\n *\n", start);
    return header.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string headerText(const std::string& relativePath) {
    const std::string text = readFile(sourceDir() + "/" + relativePath);
    CPPUNIT_ASSERT_MESSAGE("cannot read " + relativePath, !text.empty());
    return text;
}

}  // namespace

class AbiChangelogTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AbiChangelogTest);
    CPPUNIT_TEST(testEveryMinorHasADatedLineInHeaderAndDocs);
    CPPUNIT_TEST(testShippedLinesAreNeverEdited);
    CPPUNIT_TEST_SUITE_END();

public:
    void testEveryMinorHasADatedLineInHeaderAndDocs() {
        const std::string changelog = changelogOf(headerText("sdk/include/rport/plugin.h"));
        const std::string docs = headerText("docs/sdk.md");
        for (int minor = 0; minor <= RPORT_ABI_MINOR; ++minor) {
            const std::string version = "1\\." + std::to_string(minor);
            std::smatch line;
            CPPUNIT_ASSERT_MESSAGE(
                "plugin.h has no changelog line for 1." + std::to_string(minor),
                std::regex_search(changelog, line,
                                  std::regex("\n \\*   " + version + "  (\\d{4}-\\d{2}-\\d{2})  ")));
            const std::string row = "| 1." + std::to_string(minor) + " | " + line[1].str() + " |";
            CPPUNIT_ASSERT_MESSAGE("docs/sdk.md lacks the changelog row " + row,
                                   docs.find(row) != std::string::npos);
        }
    }

    // "Append a dated line for every minor bump; never edit old ones": what
    // each frozen copy said is still said, word for word, at the same place.
    void testShippedLinesAreNeverEdited() {
        const std::string current = changelogOf(headerText("sdk/include/rport/plugin.h"));
        for (const char* frozen : {"tests/abi/v1.0/rport/plugin.h", "tests/abi/v1.1/rport/plugin.h"}) {
            const std::string shipped = changelogOf(headerText(frozen));
            CPPUNIT_ASSERT_MESSAGE(frozen, !shipped.empty());
            CPPUNIT_ASSERT_MESSAGE(std::string("the changelog of ") + frozen + " was edited",
                                   current.compare(0, shipped.size(), shipped) == 0);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AbiChangelogTest);
