// The life of a third-party plugin: install rportd under a prefix, build the
// example plugin out of tree against the installed SDK (CMake and pkg-config),
// drop it into the plugin directory, select it in rportd.conf, use it.
#include <Poco/File.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <rport/password.hpp>
#include <sstream>

#include "HttpCall.h"
#include "RportdProcess.h"
#include "TempDir.h"

using namespace rport::test;

namespace {

// Runs a shell command; returns its exit status and puts its output in out.
int sh(const std::string& command, std::string& out, const TempDir& dir) {
    std::string log = dir.file("command.log");
    int rc = std::system((command + " >" + log + " 2>&1").c_str());
    std::ifstream in(log);
    std::stringstream s;
    s << in.rdbuf();
    out = s.str();
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace

class InstallDropInTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(InstallDropInTest);
    CPPUNIT_TEST(thirdPartyPluginBuildsAgainstTheInstalledSdkAndServes);
    CPPUNIT_TEST_SUITE_END();

    TempDir dir;

public:
    void thirdPartyPluginBuildsAgainstTheInstalledSdkAndServes() {
        const std::string prefix = dir.file("prefix");
        std::string out;

        // 1. Install.
        int rc = sh("cmake --install " + buildDir() + " --prefix " + prefix, out, dir);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, rc);
        for (const char* f :
             {"bin/rportd", "lib/rportd/plugins/static.so", "include/rport/plugin.h",
              "include/rport/plugin.hpp", "include/rport/testing.hpp",
              "lib/cmake/RportSDK/RportSDKConfig.cmake",
              "lib/cmake/RportSDK/RportSDKConfigVersion.cmake",
              "lib/cmake/RportSDK/RportPlugin.cmake", "lib/pkgconfig/rport-sdk.pc",
              "share/doc/rportd/README.md"})
            CPPUNIT_ASSERT_MESSAGE(std::string("installed ") + f,
                                   Poco::File(prefix + "/" + f).exists());

        // 2. Build the example out of tree with find_package(RportSDK).
        const std::string exampleBuild = dir.file("example-build");
        rc = sh("cmake -S " + sourceDir() + "/sdk/examples/htpasswd -B " + exampleBuild +
                    " -DCMAKE_PREFIX_PATH=" + prefix + " && cmake --build " + exampleBuild,
                out, dir);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, rc);
        // Only the entry point is exported.
        rc = sh("nm -D --defined-only " + exampleBuild + "/htpasswd.so", out, dir);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, rc);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("rport_plugin_entry_v1") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, std::string::npos, out.find(" T _Z"));

        // 3. The same source also builds with nothing but pkg-config.
        rc = sh("c++ -std=c++17 -shared -fPIC -fvisibility=hidden $(PKG_CONFIG_PATH=" + prefix +
                    "/lib/pkgconfig pkg-config --cflags rport-sdk) " + sourceDir() +
                    "/sdk/examples/htpasswd/HtpasswdStore.cpp -o " + dir.file("htpasswd-pc.so"),
                out, dir);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, rc);

        // 4. Drop it in and select it.
        const std::string plugin = prefix + "/lib/rportd/plugins/htpasswd.so";
        Poco::File(exampleBuild + "/htpasswd.so").copyTo(plugin);
        ::chmod(plugin.c_str(), 0644);
        auto hash = rport::sdk::password::hashBcrypt("opensesame", 4);
        CPPUNIT_ASSERT(hash);
        std::string users =
            dir.write("api-users.htpasswd", "# API users\nops:" + *hash + "\ntester:plain-pass\n");
        std::string config = dir.write(
            "rportd.conf",
            "[server]\naddress = \"127.0.0.1:0\"\nauth = \"clientAuth1:1234\"\ndata_dir = \"" +
                dir.file("data") +
                "\"\n[api]\naddress = \"127.0.0.1:0\"\n"
                "[plugins]\napi_auth = \"htpasswd\"\n"
                "[plugin.htpasswd]\npath = \"" +
                users + "\"\ngroups = \"Administrators\"\n");

        RunResult listing =
            runRportd({"--list-plugins"}, dir.path(), 20000, prefix + "/bin/rportd");
        CPPUNIT_ASSERT_MESSAGE(listing.output,
                               listing.output.find("api-auth/htpasswd") != std::string::npos);

        RportdProcess rportd({"-c", config}, dir.path(), prefix + "/bin/rportd");
        uint16_t port = rportd.waitForApiPort();
        CPPUNIT_ASSERT_EQUAL(200,
                             httpCall(port, "GET", "/api/v1/status", "ops", "opensesame").status);
        CPPUNIT_ASSERT_EQUAL(
            200, httpCall(port, "GET", "/api/v1/status", "tester", "plain-pass").status);
        HttpReply status = httpCall(port, "GET", "/api/v1/status", "ops", "opensesame");
        CPPUNIT_ASSERT_MESSAGE(
            status.body,
            status.body.find("\"users_auth_source\":\"htpasswd\"") != std::string::npos);
        // Last: a failed login makes the name wait a moment.
        CPPUNIT_ASSERT_EQUAL(401, httpCall(port, "GET", "/api/v1/status", "ops", "wrong").status);
        CPPUNIT_ASSERT_EQUAL(401,
                             httpCall(port, "GET", "/api/v1/status", "admin", "foobaz").status);
        CPPUNIT_ASSERT_EQUAL(0, rportd.stop());
        CPPUNIT_ASSERT_MESSAGE(rportd.output(),
                               rportd.output().find("htpasswd: 2 users") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(InstallDropInTest);
