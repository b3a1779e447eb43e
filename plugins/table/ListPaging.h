#pragma once
// What listing a page needs on either backend: LIMIT/OFFSET values and the
// total number of matches.
#include <Poco/Data/Session.h>
#include <Poco/Types.h>

#include <cstdint>
#include <string>

#include "ListSql.h"

namespace rport::plugins::table {

// LIMIT and OFFSET are signed 64-bit in both databases; "no limit" arrives
// as UINT64_MAX.
Poco::Int64 clampToInt64(uint64_t v);

// The total of a listing whose page, starting at offset, got `got` rows:
// a first page that is not full already holds every match; otherwise the
// rows are counted with countSql + where.
uint64_t totalOfListing(Poco::Data::Session& session, const std::string& countSql,
                        const WhereClause& where, uint64_t offset, uint64_t limit,
                        uint64_t got);

}  // namespace rport::plugins::table
