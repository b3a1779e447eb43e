// AuthRecord <-> rport_auth_record: RecordView builds the C view, toRecord
// copies it back, and a shorter record from an older peer reads safely.
#include <cppunit/extensions/HelperMacros.h>

#include <cstddef>
#include <rport/types.hpp>

using rport::sdk::AuthRecord;
using rport::sdk::str;
using rport::sdk::view;
using rport::sdk::detail::RecordView;
using rport::sdk::detail::toRecord;

class RecordConversionTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RecordConversionTest);
    CPPUNIT_TEST(testRoundTrip);
    CPPUNIT_TEST(testViewPointsIntoTheRecord);
    CPPUNIT_TEST(testEmptyRecord);
    CPPUNIT_TEST(testOlderShorterRecord);
    CPPUNIT_TEST(testStrAndView);
    CPPUNIT_TEST(testLengthWithoutDataIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRoundTrip() {
        AuthRecord in{"admin",
                      "$2y$10$abc",
                      RPORT_SECRET_HASHED,
                      {"Administrators", "Ops"},
                      {{"password_expired", "false"}, {"two_fa_send_to", "a@b.c"}}};
        RecordView v(in);
        const rport_auth_record* c = v.get();
        CPPUNIT_ASSERT_EQUAL(uint32_t(sizeof(rport_auth_record)), c->struct_size);
        CPPUNIT_ASSERT_EQUAL(size_t(2), c->group_count);
        CPPUNIT_ASSERT_EQUAL(size_t(2), c->attribute_count);
        CPPUNIT_ASSERT(toRecord(*c) == in);
    }

    void testViewPointsIntoTheRecord() {
        AuthRecord in{"id", "secret", RPORT_SECRET_PLAIN, {}, {}};
        RecordView v(in);
        CPPUNIT_ASSERT(v.get()->id.ptr == in.id.data());
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_PLAIN), v.get()->secret_kind);
    }

    void testEmptyRecord() {
        AuthRecord in;
        RecordView v(in);
        AuthRecord out = toRecord(*v.get());
        CPPUNIT_ASSERT(out == in);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_AUTO), out.secretKind);
    }

    void testOlderShorterRecord() {
        // Ends before groups: the group and attribute fields are not there,
        // whatever the memory behind them holds.
        rport_str groups[] = {str("ghost")};
        rport_auth_record c{};
        c.struct_size = offsetof(rport_auth_record, groups);
        c.secret_kind = RPORT_SECRET_PLAIN;
        c.id = str("old");
        c.secret = str("pw");
        c.groups = groups;
        c.group_count = 1;
        AuthRecord out = toRecord(c);
        CPPUNIT_ASSERT_EQUAL(std::string("old"), out.id);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_PLAIN), out.secretKind);
        CPPUNIT_ASSERT(out.groups.empty());
        CPPUNIT_ASSERT(out.attributes.empty());
    }

    void testStrAndView() {
        CPPUNIT_ASSERT(view(rport_str{nullptr, 0}).empty());
        CPPUNIT_ASSERT(view(rport_str{nullptr, 5}).empty());  // never read through
        CPPUNIT_ASSERT(rport::sdk::isValid(rport_str{nullptr, 0}));
        CPPUNIT_ASSERT(!rport::sdk::isValid(rport_str{nullptr, 5}));
        const std::string s = "abc";
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), std::string(view(str(s))));
        CPPUNIT_ASSERT_EQUAL(std::string("ab"), std::string(view(rport_str{s.data(), 2})));
    }

    // {NULL, n > 0} anywhere in a record refuses the whole record with
    // RPORT_E_INVALID; nothing is read through the NULL.
    void testLengthWithoutDataIsRefused() {
        const rport_str broken{nullptr, 7};
        rport_str groups[] = {str("ops"), broken};
        rport_kv attributes[] = {{str("k"), broken}};
        auto valid = [] {
            rport_auth_record c{};
            c.struct_size = sizeof c;
            c.id = str("id");
            c.secret = str("pw");
            return c;
        };
        rport_auth_record c = valid();
        c.id = broken;
        expectInvalid(c, "the record's id has a length but no data");
        c = valid();
        c.secret = broken;
        expectInvalid(c, "the record's secret has a length but no data");
        c = valid();
        c.groups = groups;
        c.group_count = 2;
        expectInvalid(c, "a group of the record has a length but no data");
        c = valid();
        c.group_count = 3;  // a count without an array
        expectInvalid(c, "the record's groups have a count but no array");
        c = valid();
        c.attributes = attributes;
        c.attribute_count = 1;
        expectInvalid(c, "an attribute value of the record has a length but no data");
        c = valid();
        c.attribute_count = 2;
        expectInvalid(c, "the record's attributes have a count but no array");
        CPPUNIT_ASSERT_EQUAL(std::string("id"), toRecord(valid()).id);
    }

private:
    static void expectInvalid(const rport_auth_record& c, const std::string& message) {
        try {
            toRecord(c);
            CPPUNIT_FAIL("expected RPORT_E_INVALID: " + message);
        } catch (const rport::sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, e.code());
            CPPUNIT_ASSERT_EQUAL(message, std::string(e.what()));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecordConversionTest);
