// After the configured backends exist, plugins nobody selected are released.
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>

#include "PluginDir.h"
#include "plugin_host/AuthBackend.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using rport::test::PluginDir;
using namespace rportd::plugin_host;

namespace {
// Whether a file is mapped into this process.
bool mapped(const std::string& file) {
    std::ifstream maps("/proc/self/maps");
    std::stringstream s;
    s << maps.rdbuf();
    return s.str().find(file) != std::string::npos;
}
}  // namespace

class RetainOnlyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RetainOnlyTest);
    CPPUNIT_TEST(releasesUnselectedPluginsAndUnmapsThem);
    CPPUNIT_TEST(keepsPluginsWithAnySelectedBackend);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<HostServices> services;

public:
    void setUp() override { services = std::make_unique<HostServices>(HostOptions{"/tmp", 4}); }
    void tearDown() override { services.reset(); }

    void releasesUnselectedPluginsAndUnmapsThem() {
        PluginDir dir;
        const std::string good = dir.add("good_c");
        const std::string memory = dir.add("memory");
        PluginRegistry registry(*services);
        registry.loadDirectory(dir.path());
        CPPUNIT_ASSERT(mapped(memory));

        CPPUNIT_ASSERT_EQUAL(size_t(1), registry.retainOnly({{RPORT_KIND_CLIENT_AUTH, "c-static"}}));
        CPPUNIT_ASSERT(registry.find(RPORT_KIND_CLIENT_AUTH, "c-static"));
        CPPUNIT_ASSERT(!registry.find(RPORT_KIND_CLIENT_AUTH, "memory"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), registry.list().size());
        CPPUNIT_ASSERT(!mapped(memory));
        CPPUNIT_ASSERT(mapped(good));
    }

    void keepsPluginsWithAnySelectedBackend() {
        PluginDir dir;
        const std::string memory = dir.add("memory");
        PluginRegistry registry(*services);
        registry.loadDirectory(dir.path());
        // Selected only as an API user store: the plugin, with all its backends, stays.
        CPPUNIT_ASSERT_EQUAL(size_t(0), registry.retainOnly({{RPORT_KIND_API_AUTH, "memory"}}));
        CPPUNIT_ASSERT(registry.find(RPORT_KIND_CLIENT_AUTH, "memory"));
        CPPUNIT_ASSERT(mapped(memory));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RetainOnlyTest);
