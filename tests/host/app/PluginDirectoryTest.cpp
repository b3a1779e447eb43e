// The plugin directory as operators use it: drop-ins, broken files, explicit
// selection through [plugins] and [plugin.NAME].
#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>

#include <Poco/File.h>

#include "HttpCall.h"
#include "RportdProcess.h"
#include "TempDir.h"
#include "TestConfigs.h"

using namespace rport::test;

class PluginDirectoryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginDirectoryTest);
    CPPUNIT_TEST(brokenUnselectedPluginsDoNotStopTheServer);
    CPPUNIT_TEST(aMissingSelectedPluginExitsOne);
    CPPUNIT_TEST(aWritablePluginDirectoryIsRefused);
    CPPUNIT_TEST(aWritablePluginFileIsRefusedButOthersLoad);
    CPPUNIT_TEST(explicitSelectionHandsThePluginItsTable);
    CPPUNIT_TEST(selectingARoleBothWaysIsAnError);
    CPPUNIT_TEST_SUITE_END();

    TempDir dir;
    std::string pluginDir;

    std::string config(const std::string& extra = "") {
        return staticConfig(dir.file("data"), "[plugins]\ndir = \"" + pluginDir + "\"\n" + extra);
    }

public:
    void setUp() override {
        pluginDir = dir.file("plugins");
        Poco::File(pluginDir).createDirectories();
        ::chmod(pluginDir.c_str(), 0755);
        Poco::File(builtPluginDir() + "/static.so").copyTo(pluginDir + "/static.so");
        ::chmod((pluginDir + "/static.so").c_str(), 0644);
    }

    void brokenUnselectedPluginsDoNotStopTheServer() {
        dir.write("plugins/garbage.so", "this is not an ELF file\n");
        // A real shared object, but not an rportd plugin.
        Poco::File("/usr/lib/x86_64-linux-gnu/libcrypt.so.1").copyTo(pluginDir + "/not-a-plugin.so");
        ::chmod((pluginDir + "/not-a-plugin.so").c_str(), 0644);
        RportdProcess rportd({"-c", dir.write("rportd.conf", config())}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        CPPUNIT_ASSERT_EQUAL(200, httpCall(port, "GET", "/api/v1/status", "admin", "foobaz").status);
        std::string out = rportd.output();
        CPPUNIT_ASSERT_MESSAGE(out, out.find(pluginDir + "/garbage.so") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find(pluginDir + "/not-a-plugin.so") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(out, out.find("rport_plugin_entry_v1") != std::string::npos);
    }

    void aMissingSelectedPluginExitsOne() {
        Poco::File(pluginDir + "/static.so").remove();
        RunResult r = runRportd({"-c", dir.write("rportd.conf", config())}, dir.path());
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, r.output.find("client-auth plugin \"static\" (selected by [server] auth)") !=
                                             std::string::npos);
    }

    void aWritablePluginDirectoryIsRefused() {
        ::chmod(pluginDir.c_str(), 0777);
        RunResult r = runRportd({"-c", dir.write("rportd.conf", config())}, dir.path());
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, r.output.find(pluginDir) != std::string::npos &&
                                             r.output.find("writable") != std::string::npos);
    }

    void aWritablePluginFileIsRefusedButOthersLoad() {
        dir.write("plugins/writable.so", "whatever", 0666);
        RportdProcess rportd({"-c", dir.write("rportd.conf", config())}, dir.path());
        rportd.waitForApiPort();
        std::string out = rportd.output();
        CPPUNIT_ASSERT_MESSAGE(out, out.find(pluginDir + "/writable.so") != std::string::npos &&
                                        out.find("writable by group or others") != std::string::npos);
    }

    void explicitSelectionHandsThePluginItsTable() {
        std::string text = "[server]\naddress = \"127.0.0.1:0\"\ndata_dir = \"" + dir.file("data") +
                           "\"\n[api]\naddress = \"127.0.0.1:0\"\n"
                           "[plugins]\ndir = \"" + pluginDir + "\"\nclient_auth = \"static\"\napi_auth = \"static\"\n"
                           "[plugin.static]\nauth = \"operator:s3cret:with:colons\"\n";
        RportdProcess rportd({"-c", dir.write("rportd.conf", text)}, dir.path());
        uint16_t port = rportd.waitForApiPort();
        CPPUNIT_ASSERT_EQUAL(200, httpCall(port, "GET", "/api/v1/status", "operator", "s3cret:with:colons").status);
        CPPUNIT_ASSERT_EQUAL(401, httpCall(port, "GET", "/api/v1/status", "admin", "foobaz").status);
    }

    void selectingARoleBothWaysIsAnError() {
        RunResult r = runRportd({"-c", dir.write("rportd.conf", config("client_auth = \"static\"\n"))}, dir.path());
        CPPUNIT_ASSERT_EQUAL(1, r.exitCode);
        CPPUNIT_ASSERT_MESSAGE(r.output, r.output.find("'[plugins] client_auth' and '[server] auth' are both set") !=
                                             std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginDirectoryTest);
