// rportd's command line and config errors, as an operator meets them.
#include <cppunit/extensions/HelperMacros.h>

#include <sys/wait.h>

#include <rport/password.hpp>
#include <rport/plugin.h>

#include <cstdlib>

#include "RportdProcess.h"
#include "TempDir.h"
#include "TestConfigs.h"

using namespace rport::test;

namespace {
bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}
}  // namespace

class CommandLineTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CommandLineTest);
    CPPUNIT_TEST(versionPrintsVersionAndAbi);
    CPPUNIT_TEST(helpListsTheOptions);
    CPPUNIT_TEST(unknownOptionExitsOne);
    CPPUNIT_TEST(missingConfigFileExitsOneNamingIt);
    CPPUNIT_TEST(malformedTomlNamesFileAndLine);
    CPPUNIT_TEST(wrongTypeNamesTheKey);
    CPPUNIT_TEST(mutualExclusionUsesTheOriginalWording);
    CPPUNIT_TEST(checkConfigAcceptsAGoodConfig);
    CPPUNIT_TEST(checkConfigRejectsAnUnknownPlugin);
    CPPUNIT_TEST(checkConfigRejectsBadStaticCredentialsFromAPluginTable);
    CPPUNIT_TEST(listPluginsShowsTheBuiltInPlugins);
    CPPUNIT_TEST(unwritableLogFileExitsOne);
    CPPUNIT_TEST(hashPasswordPrintsAVerifiableBcryptHash);
    CPPUNIT_TEST(refusesToServeHttpsConfigsOverPlainHttp);
    CPPUNIT_TEST(hashPasswordRefusesAnEmptyPassword);
    CPPUNIT_TEST_SUITE_END();

    TempDir dir;

    RunResult runWith(const std::string& config, std::vector<std::string> more = {}) {
        std::string path = dir.write("rportd.conf", config);
        std::vector<std::string> args{"-c", path};
        args.insert(args.end(), more.begin(), more.end());
        return runRportd(args, dir.path());
    }

public:
    void versionPrintsVersionAndAbi() {
        RunResult r = runRportd({"--version"});
        CPPUNIT_ASSERT_EQUAL(0, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, "rportd ") && contains(r.output, "plugin ABI " + std::to_string(RPORT_ABI_MAJOR) + "." + std::to_string(RPORT_ABI_MINOR)));
    }

    void helpListsTheOptions() {
        RunResult r = runRportd({"--help"});
        CPPUNIT_ASSERT_EQUAL(0, r.exitCode);
        for (const char* opt : {"--config", "--check-config", "--list-plugins", "--version", "--help"})
            CPPUNIT_ASSERT_MESSAGE(std::string(opt) + " in\n" + r.output, contains(r.output, opt));
    }

    void unknownOptionExitsOne() {
        RunResult r = runRportd({"--no-such-option"});
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, "no-such-option"));
    }

    void missingConfigFileExitsOneNamingIt() {
        RunResult r = runRportd({"-c", dir.file("absent.conf")});
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, "Invalid config: ") && contains(r.output, "absent.conf"));
    }

    void malformedTomlNamesFileAndLine() {
        RunResult r = runWith("[server]\nauth = \"a:b\"\naddress = = 3\n");
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, "rportd.conf:3"));
    }

    void wrongTypeNamesTheKey() {
        RunResult r = runWith("[server]\nauth = \"a:b\"\nban_time = \"soon\"\n");
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, "ban_time") && contains(r.output, "rportd.conf:3"));
    }

    void mutualExclusionUsesTheOriginalWording() {
        RunResult r = runWith("[server]\naddress = \"127.0.0.1:0\"\nauth = \"a:b\"\nauth_file = \"/x.json\"\nauth_table = \"t\"\n");
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output,
                               contains(r.output, "'auth_file' and 'auth' are both set: expected only one of them"));
        r = runWith("[server]\naddress = \"127.0.0.1:0\"\nauth_file = \"\"\n");
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, "client authentication must be enabled: set either "
                                                            "'auth', 'auth_file' or 'auth_table'"));
    }

    void checkConfigAcceptsAGoodConfig() {
        RunResult r = runWith(staticConfig(dir.file("data")), {"--check-config"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.output, 0, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, "configuration OK"));
    }

    void checkConfigRejectsAnUnknownPlugin() {
        std::string config =
            "[server]\naddress = \"127.0.0.1:0\"\ndata_dir = \"" + dir.file("data") + "\"\n[plugins]\nclient_auth = \"ldap\"\n";
        RunResult r = runWith(config, {"--check-config"});
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, "client-auth plugin \"ldap\"") &&
                                             contains(r.output, "[plugins] client_auth") &&
                                             contains(r.output, "static"));  // lists what is available
    }

    void checkConfigRejectsBadStaticCredentialsFromAPluginTable() {
        std::string config = "[server]\naddress = \"127.0.0.1:0\"\ndata_dir = \"" + dir.file("data") +
                             "\"\n[plugins]\nclient_auth = \"static\"\n[plugin.static]\nauth = \"no-colon\"\n";
        RunResult r = runWith(config, {"--check-config"});
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, "invalid client auth credentials"));
    }

    void listPluginsShowsTheBuiltInPlugins() {
        RunResult r = runRportd({"--list-plugins"}, dir.path());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.output, 0, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, "client-auth/static") &&
                                             contains(r.output, "api-auth/static") &&
                                             contains(r.output, "static.so"));
    }

    void unwritableLogFileExitsOne() {
        RunResult r = runWith(staticConfig(dir.file("data"), "log_file = \"/nonexistent-dir/rportd.log\"\n"));
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, "can't open log file /nonexistent-dir/rportd.log"));
    }

    void hashPasswordPrintsAVerifiableBcryptHash() {
        std::string out = dir.file("hash.txt");
        int rc = std::system(("printf 'correct horse:battery\\n' | " + rportdBinary() + " --hash-password >" + out).c_str());
        CPPUNIT_ASSERT_EQUAL(0, WEXITSTATUS(rc));
        std::string hash = readFile(out);
        CPPUNIT_ASSERT(!hash.empty() && hash.back() == '\n');
        hash.pop_back();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(hash, std::string("$2y$10$"), hash.substr(0, 7));
        CPPUNIT_ASSERT(rport::sdk::password::verifyHash(hash, "correct horse:battery") ==
                       rport::sdk::password::Verdict::Match);
        CPPUNIT_ASSERT(rport::sdk::password::verifyHash(hash, "correct horse") ==
                       rport::sdk::password::Verdict::Mismatch);
    }

    void refusesToServeHttpsConfigsOverPlainHttp() {
        dir.write("server.crt", "not read yet");
        dir.write("server.key", "not read yet");
        RunResult r = runWith("[server]\naddress = \"127.0.0.1:0\"\nauth = \"c1:pw1\"\ndata_dir = \"" + dir.file("data") +
                              "\"\n[api]\naddress = \"127.0.0.1:0\"\nauth = \"admin:foobaz\"\ncert_file = \"" +
                              dir.file("server.crt") + "\"\nkey_file = \"" + dir.file("server.key") + "\"\n");
        // A pair that cannot be served stops the start: never plain HTTP instead.
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, contains(r.output, dir.file("server.crt") + " holds no PEM certificate"));
        CPPUNIT_ASSERT_MESSAGE(r.output, !contains(r.output, "API Listening"));
    }

    void hashPasswordRefusesAnEmptyPassword() {
        int rc = std::system((": | " + rportdBinary() + " --hash-password >/dev/null 2>&1").c_str());
        CPPUNIT_ASSERT_EQUAL(1, WEXITSTATUS(rc));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CommandLineTest);
