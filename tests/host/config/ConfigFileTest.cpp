// Reading from disk: unreadable files, TOML syntax errors with line and
// column, messages that carry the real path.
#include <cppunit/extensions/HelperMacros.h>
#include <unistd.h>

#include "ConfigTestSupport.h"
#include "Skip.h"
#include "TempDir.h"
#include "Unprivileged.h"

namespace rportd::config::test {
namespace {

std::string fileError(const std::string& path) {
    std::vector<std::string> warnings;
    try {
        loadConfigFile(path, warnings);
    } catch (const ConfigError& error) {
        return error.what();
    }
    CPPUNIT_FAIL("expected a ConfigError for " + path);
    return {};
}

}  // namespace

class ConfigFileTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigFileTest);
    CPPUNIT_TEST(loadsAFile);
    CPPUNIT_TEST(missingFile);
    CPPUNIT_TEST(directoryInsteadOfFile);
    CPPUNIT_TEST(unreadableFile);
    CPPUNIT_TEST(someoneElsesPrivateFile);
    CPPUNIT_TEST(malformedTomlNamesLineAndColumn);
    CPPUNIT_TEST(malformedTomlInAFileNamesThePath);
    CPPUNIT_TEST(redefinedKeyIsASyntaxError);
    CPPUNIT_TEST(errorsCarryThePathOfTheFile);
    CPPUNIT_TEST(emptyTextNeedsClientAuth);
    CPPUNIT_TEST_SUITE_END();

public:
    void loadsAFile() {
        rport::test::TempDir dir;
        const auto path = dir.write("rportd.conf", kMinimalConfig + "ban_time = 60\n");
        std::vector<std::string> warnings;
        const Config c = loadConfigFile(path, warnings);
        CPPUNIT_ASSERT_EQUAL(60, c.server.ban_time);
        CPPUNIT_ASSERT_EQUAL(path, c.source.name);
        CPPUNIT_ASSERT_EQUAL(3, c.source.key_lines.at("server.ban_time"));
    }

    void missingFile() {
        rport::test::TempDir dir;
        const auto path = dir.file("missing.conf");
        CPPUNIT_ASSERT_EQUAL("cannot read config file \"" + path + "\": No such file or directory",
                             fileError(path));
    }

    void directoryInsteadOfFile() {
        rport::test::TempDir dir;
        CPPUNIT_ASSERT_EQUAL("cannot read config file \"" + dir.path() + "\": Is a directory",
                             fileError(dir.path()));
    }

    // Root reads anything, so as root the loader runs as "nobody" (Unprivileged.h).
    void unreadableFile() {
        rport::test::TempDir dir;
        const auto path = dir.write("rportd.conf", kMinimalConfig, 0000);
        if (::geteuid() == 0)
            CPPUNIT_ASSERT_EQUAL(0, ::chown(path.c_str(), rport::test::kNobody, 0));
        CPPUNIT_ASSERT_EQUAL("cannot read config file \"" + path + "\": Permission denied",
                             rport::test::asUnprivilegedUser([&] { return fileError(path); }));
    }

    // Mode 0600, owned by someone else: the file stays root's and the loader
    // runs as "nobody". Only root can make a file that is not the reader's.
    void someoneElsesPrivateFile() {
        if (::geteuid() != 0)
            return rport::test::skipTest("someoneElsesPrivateFile needs root to give a file away");
        rport::test::TempDir dir;
        const auto path = dir.write("rportd.conf", kMinimalConfig, 0600);
        CPPUNIT_ASSERT_EQUAL("cannot read config file \"" + path + "\": Permission denied",
                             rport::test::asUnprivilegedUser([&] { return fileError(path); }));
    }

    void malformedTomlNamesLineAndColumn() {
        std::vector<std::string> warnings;
        try {
            loadConfigText("[server]\nauth = \"a:b\"\nban_time = = 3\n", "rportd.conf", warnings);
            CPPUNIT_FAIL("expected a ConfigError");
        } catch (const ConfigError& error) {
            CPPUNIT_ASSERT_EQUAL(3, error.where().line);
            CPPUNIT_ASSERT(error.where().column > 0);
            const std::string prefix =
                "rportd.conf:3:" + std::to_string(error.where().column) + ": ";
            const std::string what = error.what();
            CPPUNIT_ASSERT_EQUAL(prefix, what.substr(0, prefix.size()));
            CPPUNIT_ASSERT(what.size() > prefix.size());
            CPPUNIT_ASSERT(what.find('\n') == std::string::npos);
        }
    }

    void malformedTomlInAFileNamesThePath() {
        rport::test::TempDir dir;
        const auto path = dir.write("rportd.conf", "[server\nauth = \"a:b\"\n");
        const std::string what = fileError(path);
        CPPUNIT_ASSERT_EQUAL(path + ":1:", what.substr(0, path.size() + 3));
    }

    void redefinedKeyIsASyntaxError() {
        const std::string what = loadError("[server]\nauth = \"a:b\"\nauth = \"c:d\"\n");
        CPPUNIT_ASSERT_EQUAL(std::string("rportd.conf:3:"), what.substr(0, 14));
    }

    void errorsCarryThePathOfTheFile() {
        rport::test::TempDir dir;
        const auto path = dir.write("rportd.conf", "[server]\nauth = \"a:b\"\ndata_dir = \"\"\n");
        CPPUNIT_ASSERT_EQUAL(path + ":3: 'data directory path' cannot be empty", fileError(path));
    }

    void emptyTextNeedsClientAuth() {
        // The defaults alone are not a runnable server: the original also refused them.
        CPPUNIT_ASSERT_EQUAL(
            std::string("client authentication must be enabled: set either 'auth', 'auth_file' or "
                        "'auth_table'"),
            loadError(""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigFileTest);

}  // namespace rportd::config::test
