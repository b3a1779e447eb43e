// The receiving side of a sink (consumer.hpp's Collector), fed by hand the
// way a plugin would feed it.
#include <cppunit/extensions/HelperMacros.h>

#include <cstddef>
#include <rport/consumer.hpp>

using rport::sdk::Collector;
using rport::sdk::str;

class CollectorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CollectorTest);
    CPPUNIT_TEST(testSinkOffersEverySlot);
    CPPUNIT_TEST(testErrorsAccumulate);
    CPPUNIT_TEST(testStopRequestAtMaxRecords);
    CPPUNIT_TEST(testRecordIsCopied);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSinkOffersEverySlot() {
        Collector c;
        rport_sink s = c.sink();
        CPPUNIT_ASSERT_EQUAL(uint32_t(sizeof(rport_sink)), s.struct_size);
        CPPUNIT_ASSERT(s.ctx == &c);
        CPPUNIT_ASSERT(RPORT_HAS(&s, rport_sink, record) && RPORT_HAS(&s, rport_sink, total));
        CPPUNIT_ASSERT(RPORT_HAS(&s, rport_sink, cert) && RPORT_HAS(&s, rport_sink, error));
        s.total(s.ctx, 42);
        CPPUNIT_ASSERT_EQUAL(uint64_t(42), c.total.value_or(0));
    }

    void testErrorsAccumulate() {
        Collector c;
        rport_sink s = c.sink();
        s.error(s.ctx, str("first"));
        s.error(s.ctx, str("second"));
        s.error(s.ctx, rport_str{nullptr, 0});
        CPPUNIT_ASSERT_EQUAL(std::string("first; second; "), c.error);
    }

    void testStopRequestAtMaxRecords() {
        Collector c;
        c.maxRecords = 2;
        rport_sink s = c.sink();
        rport_auth_record r{};
        r.struct_size = sizeof r;
        r.id = str("x");
        CPPUNIT_ASSERT_EQUAL(0, s.record(s.ctx, &r));
        CPPUNIT_ASSERT_EQUAL(1, s.record(s.ctx, &r));
        CPPUNIT_ASSERT_EQUAL(0, s.record(s.ctx, nullptr));
        CPPUNIT_ASSERT_EQUAL(size_t(2), c.records.size());
    }

    void testRecordIsCopied() {
        Collector c;
        rport_sink s = c.sink();
        {
            std::string id = "temporary", secret = "s";
            rport_auth_record r{};
            r.struct_size = sizeof r;
            r.id = str(id);
            r.secret = str(secret);
            s.record(s.ctx, &r);
            id.assign(id.size(), 'X');  // the plugin may wipe its buffer right after emit
        }
        CPPUNIT_ASSERT_EQUAL(std::string("temporary"), c.records.at(0).id);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CollectorTest);
