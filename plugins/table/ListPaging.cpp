#include "ListPaging.h"

#include <Poco/Data/Statement.h>

#include <limits>
#include <vector>

namespace rport::plugins::table {

using namespace Poco::Data::Keywords;

Poco::Int64 clampToInt64(uint64_t v) {
    constexpr auto max = static_cast<uint64_t>(std::numeric_limits<Poco::Int64>::max());
    return static_cast<Poco::Int64>(v > max ? max : v);
}

uint64_t totalOfListing(Poco::Data::Session& session, const std::string& countSql,
                        const WhereClause& where, uint64_t offset, uint64_t limit,
                        uint64_t got) {
    if (offset == 0 && got < limit) return got;
    // Poco binds by reference, so the values need a home that is not const.
    std::vector<std::string> params = where.params;
    Poco::Int64 total = 0;
    Poco::Data::Statement count(session);
    count << countSql + where.sql;
    for (auto& p : params) count.addBind(use(p));
    count, into(total);
    count.execute();
    return total < 0 ? 0 : static_cast<uint64_t>(total);
}

}  // namespace rport::plugins::table
