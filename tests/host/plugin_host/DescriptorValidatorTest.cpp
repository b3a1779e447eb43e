// The descriptor rules, judged on hand-made descriptors (no shared objects).
#include <cppunit/extensions/HelperMacros.h>

#include <cstddef>
#include <vector>

#include "plugin_host/DescriptorValidator.h"

using namespace rportd::plugin_host;

namespace {

int32_t create(rport_host_ctx*, const rport_sink*, void**) { return RPORT_OK; }
void destroy(void*) {}
int32_t get(void*, rport_str, const rport_sink*) { return RPORT_E_NOT_FOUND; }
int32_t current(void*, const rport_sink*) { return RPORT_E_UNAVAILABLE; }

rport_auth_v1 authTable() {
    rport_auth_v1 t{};
    t.struct_size = sizeof t;
    t.create = &create;
    t.destroy = &destroy;
    t.get = &get;
    return t;
}

rport_cert_v1 certTable() {
    rport_cert_v1 t{};
    t.struct_size = sizeof t;
    t.create = &create;
    t.destroy = &destroy;
    t.current = &current;
    return t;
}

rport_backend_v1 backend(const char* kind, const char* name, const void* vtable,
                         uint32_t flags = 0) {
    return rport_backend_v1{sizeof(rport_backend_v1), 1, kind, name, flags, 0, vtable};
}

rport_plugin_v1 plugin(const std::vector<rport_backend_v1>& backends, const char* name = "test") {
    return rport_plugin_v1{
        sizeof(rport_plugin_v1), RPORT_ABI_MAJOR, RPORT_ABI_MINOR, 0, name, "1.0",
        backends.data(),         backends.size()};
}

}  // namespace

class DescriptorValidatorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DescriptorValidatorTest);
    CPPUNIT_TEST(testGoodDescriptor);
    CPPUNIT_TEST(testNullDescriptor);
    CPPUNIT_TEST(testWrongMajor);
    CPPUNIT_TEST(testImplausibleSizes);
    CPPUNIT_TEST(testNames);
    CPPUNIT_TEST(testVersionMayBeNullButMustBePrintable);
    CPPUNIT_TEST(testBackendArrayProblems);
    CPPUNIT_TEST(testUnknownKindAndVersionAreSkipped);
    CPPUNIT_TEST(testRequiredSlots);
    CPPUNIT_TEST(testShortVtableJudgedBySlotsItHas);
    CPPUNIT_TEST(testLongerEntriesAreWalkedByTheirStride);
    CPPUNIT_TEST(testDuplicateInsideOnePlugin);
    CPPUNIT_TEST(testNoBackendsIsAccepted);
    CPPUNIT_TEST_SUITE_END();

public:
    void testGoodDescriptor() {
        rport_auth_v1 auth = authTable();
        rport_cert_v1 cert = certTable();
        std::vector<rport_backend_v1> b = {
            backend(RPORT_KIND_CLIENT_AUTH, "file", &auth),
            backend(RPORT_KIND_API_AUTH, "file", &auth, RPORT_BACKEND_THREADSAFE),
            backend(RPORT_KIND_CERT_PROVIDER, "acme", &cert)};
        rport_plugin_v1 d = plugin(b, "file-store");
        d.abi_minor = 3;
        DescriptorVerdict v = validateDescriptor(&d);
        CPPUNIT_ASSERT_MESSAGE(v.refusal, v.accepted());
        CPPUNIT_ASSERT_EQUAL(std::string("file-store"), v.descriptor.name);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0"), v.descriptor.version);
        CPPUNIT_ASSERT_EQUAL(uint32_t(3), v.descriptor.abiMinor);
        CPPUNIT_ASSERT_EQUAL(size_t(3), v.descriptor.backends.size());
        CPPUNIT_ASSERT_EQUAL(std::string("api-auth"), v.descriptor.backends[1].kind);
        CPPUNIT_ASSERT_EQUAL(RPORT_BACKEND_THREADSAFE, v.descriptor.backends[1].flags);
        CPPUNIT_ASSERT(v.descriptor.backends[2].vtable == &cert);
        CPPUNIT_ASSERT(v.descriptor.skipped.empty());
    }

    void testNullDescriptor() {
        CPPUNIT_ASSERT_EQUAL(std::string("entry returned no descriptor"),
                             validateDescriptor(nullptr).refusal);
    }

    void testWrongMajor() {
        rport_plugin_v1 d = plugin({});
        d.abi_major = 2;
        CPPUNIT_ASSERT_EQUAL(std::string("built for ABI major 2, this rportd speaks 1"),
                             validateDescriptor(&d).refusal);
        // Even a v2 descriptor of a size we do not know is named by its major.
        d.struct_size = 12;
        CPPUNIT_ASSERT_EQUAL(std::string("built for ABI major 2, this rportd speaks 1"),
                             validateDescriptor(&d).refusal);
    }

    void testImplausibleSizes() {
        rport_plugin_v1 d = plugin({});
        d.struct_size = 8;
        CPPUNIT_ASSERT_EQUAL(std::string("descriptor struct_size 8 is not plausible"),
                             validateDescriptor(&d).refusal);
        d.struct_size =
            offsetof(rport_plugin_v1, backend_count);  // 1.0 had backend_count: none is shorter
        CPPUNIT_ASSERT(!validateDescriptor(&d).accepted());
        d.struct_size = 1u << 20;
        CPPUNIT_ASSERT(!validateDescriptor(&d).accepted());
    }

    void testNames() {
        CPPUNIT_ASSERT(isValidName("file"));
        CPPUNIT_ASSERT(isValidName("my-plugin_2.0"));
        CPPUNIT_ASSERT(!isValidName(nullptr));
        CPPUNIT_ASSERT(!isValidName(""));
        CPPUNIT_ASSERT(!isValidName("two words"));
        CPPUNIT_ASSERT(!isValidName("new\nline"));
        CPPUNIT_ASSERT(!isValidName("a/b"));
        CPPUNIT_ASSERT(isValidName(std::string(128, 'x').c_str()));
        CPPUNIT_ASSERT(!isValidName(std::string(129, 'x').c_str()));

        rport_plugin_v1 d = plugin({}, nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("descriptor has no valid plugin name"),
                             validateDescriptor(&d).refusal);
        rport_auth_v1 auth = authTable();
        std::vector<rport_backend_v1> b = {backend(RPORT_KIND_CLIENT_AUTH, "bad name", &auth)};
        d = plugin(b);
        CPPUNIT_ASSERT_EQUAL(std::string("backend client-auth/#1 has no valid name"),
                             validateDescriptor(&d).refusal);
        b = {backend(nullptr, "x", &auth)};
        d = plugin(b);
        CPPUNIT_ASSERT_EQUAL(std::string("backend #1 has no valid kind"),
                             validateDescriptor(&d).refusal);
    }

    void testVersionMayBeNullButMustBePrintable() {
        rport_plugin_v1 d = plugin({});
        d.version = nullptr;
        DescriptorVerdict v = validateDescriptor(&d);
        CPPUNIT_ASSERT(v.accepted());
        CPPUNIT_ASSERT_EQUAL(std::string(), v.descriptor.version);
        d.version = "1.0\n";
        CPPUNIT_ASSERT_EQUAL(std::string("descriptor version is not printable text"),
                             validateDescriptor(&d).refusal);
    }

    void testBackendArrayProblems() {
        rport_plugin_v1 d = plugin({});
        d.backend_count = 2;
        CPPUNIT_ASSERT_EQUAL(std::string("declares 2 backends but no backend array"),
                             validateDescriptor(&d).refusal);
        d.backend_count = 100000;
        CPPUNIT_ASSERT_EQUAL(std::string("declares 100000 backends, more than 256"),
                             validateDescriptor(&d).refusal);

        rport_auth_v1 auth = authTable();
        std::vector<rport_backend_v1> b = {backend(RPORT_KIND_CLIENT_AUTH, "a", &auth),
                                           backend(RPORT_KIND_CLIENT_AUTH, "b", &auth)};
        b[1].struct_size = 64;
        d = plugin(b);
        CPPUNIT_ASSERT_EQUAL(std::string("backend #2 has struct_size 64, the first has 40"),
                             validateDescriptor(&d).refusal);
        b[0].struct_size = b[1].struct_size = 16;
        d = plugin(b);
        CPPUNIT_ASSERT_EQUAL(std::string("backend struct_size 16 is not plausible"),
                             validateDescriptor(&d).refusal);
    }

    void testUnknownKindAndVersionAreSkipped() {
        rport_auth_v1 auth = authTable();
        std::vector<rport_backend_v1> b = {backend("ldap-sync", "x", &auth),
                                           backend(RPORT_KIND_CLIENT_AUTH, "v2", &auth),
                                           backend(RPORT_KIND_CLIENT_AUTH, "fine", &auth)};
        b[1].vtable_version = 2;
        rport_plugin_v1 d = plugin(b);
        DescriptorVerdict v = validateDescriptor(&d);
        CPPUNIT_ASSERT(v.accepted());
        CPPUNIT_ASSERT_EQUAL(size_t(1), v.descriptor.backends.size());
        CPPUNIT_ASSERT_EQUAL(std::string("fine"), v.descriptor.backends[0].name);
        CPPUNIT_ASSERT_EQUAL(size_t(2), v.descriptor.skipped.size());
        CPPUNIT_ASSERT_EQUAL(std::string("backend ldap-sync/x skipped: unknown kind"),
                             v.descriptor.skipped[0]);
        CPPUNIT_ASSERT_EQUAL(
            std::string("backend client-auth/v2 skipped: vtable version 2, this rportd speaks 1"),
            v.descriptor.skipped[1]);
    }

    void testRequiredSlots() {
        struct Case {
            const char* kind;
            const char* slot;
        };
        for (const Case& c :
             {Case{RPORT_KIND_CLIENT_AUTH, "create"}, Case{RPORT_KIND_API_AUTH, "destroy"},
              Case{RPORT_KIND_CLIENT_AUTH, "get"}, Case{RPORT_KIND_CERT_PROVIDER, "create"},
              Case{RPORT_KIND_CERT_PROVIDER, "current"}}) {
            rport_auth_v1 auth = authTable();
            rport_cert_v1 cert = certTable();
            const std::string slot = c.slot;
            if (slot == "create") auth.create = cert.create = nullptr;
            if (slot == "destroy") auth.destroy = cert.destroy = nullptr;
            if (slot == "get") auth.get = nullptr;
            if (slot == "current") cert.current = nullptr;
            const bool isCert = std::string(c.kind) == RPORT_KIND_CERT_PROVIDER;
            std::vector<rport_backend_v1> b = {
                backend(c.kind, "x", isCert ? static_cast<const void*>(&cert) : &auth)};
            rport_plugin_v1 d = plugin(b);
            CPPUNIT_ASSERT_EQUAL(
                std::string("backend ") + c.kind + "/x lacks required slot " + c.slot,
                validateDescriptor(&d).refusal);
        }
        std::vector<rport_backend_v1> b = {backend(RPORT_KIND_CLIENT_AUTH, "x", nullptr)};
        rport_plugin_v1 d = plugin(b);
        CPPUNIT_ASSERT_EQUAL(std::string("backend client-auth/x has no vtable"),
                             validateDescriptor(&d).refusal);
    }

    void testShortVtableJudgedBySlotsItHas() {
        rport_auth_v1 auth = authTable();
        auth.struct_size = offsetof(rport_auth_v1, list);  // ends right after get
        std::vector<rport_backend_v1> b = {backend(RPORT_KIND_CLIENT_AUTH, "old", &auth)};
        rport_plugin_v1 d = plugin(b);
        CPPUNIT_ASSERT(validateDescriptor(&d).accepted());
        // One byte less and get is no longer inside: it counts as missing even
        // though the pointer in memory is set.
        auth.struct_size = offsetof(rport_auth_v1, list) - 1;
        CPPUNIT_ASSERT_EQUAL(std::string("backend client-auth/old lacks required slot get"),
                             validateDescriptor(&d).refusal);
        auth.struct_size = 1u << 30;
        CPPUNIT_ASSERT_EQUAL(
            std::string("backend client-auth/old vtable struct_size 1073741824 is not plausible"),
            validateDescriptor(&d).refusal);
    }

    void testLongerEntriesAreWalkedByTheirStride() {
        // Entries from a newer SDK: 16 unknown bytes after each 1.0 entry.
        struct Longer {
            rport_backend_v1 known;
            uint64_t future[2];
        };
        rport_auth_v1 auth = authTable();
        Longer entries[2] = {{backend(RPORT_KIND_CLIENT_AUTH, "one", &auth), {~0ull, ~0ull}},
                             {backend(RPORT_KIND_API_AUTH, "two", &auth), {~0ull, ~0ull}}};
        entries[0].known.struct_size = entries[1].known.struct_size = sizeof(Longer);
        rport_plugin_v1 d{sizeof(rport_plugin_v1) + 24,
                          RPORT_ABI_MAJOR,
                          9,
                          0,
                          "newer",
                          "9",
                          &entries[0].known,
                          2};
        DescriptorVerdict v = validateDescriptor(&d);
        CPPUNIT_ASSERT_MESSAGE(v.refusal, v.accepted());
        CPPUNIT_ASSERT_EQUAL(size_t(2), v.descriptor.backends.size());
        CPPUNIT_ASSERT_EQUAL(std::string("two"), v.descriptor.backends[1].name);
        CPPUNIT_ASSERT_EQUAL(std::string("api-auth"), v.descriptor.backends[1].kind);
    }

    void testDuplicateInsideOnePlugin() {
        rport_auth_v1 auth = authTable();
        std::vector<rport_backend_v1> b = {backend(RPORT_KIND_CLIENT_AUTH, "same", &auth),
                                           backend(RPORT_KIND_API_AUTH, "same", &auth),
                                           backend(RPORT_KIND_CLIENT_AUTH, "same", &auth)};
        rport_plugin_v1 d = plugin(b);
        CPPUNIT_ASSERT_EQUAL(std::string("backend client-auth/same declared twice"),
                             validateDescriptor(&d).refusal);
    }

    void testNoBackendsIsAccepted() {
        rport_plugin_v1 d = plugin({});
        d.backends = nullptr;
        CPPUNIT_ASSERT(validateDescriptor(&d).accepted());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DescriptorValidatorTest);
