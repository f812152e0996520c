// /metrics: Prometheus text exposition format 0.0.4, every name prefixed
// mlpppd_, HELP and TYPE before each family.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "control/status.h"
#include "core/latency_histogram.h"

namespace mlppp::control::web {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string RenderMetrics(const Snapshot& snap);

// A label value escaped as the format asks: backslash, double quote and
// line feed as \\, \" and \n.
std::string EscapeLabelValue(std::string_view v);

// Cumulative counts per LatencyHistogram bucket: [b] = samples below
// 2^b µs (the last is every sample). LatencyHistogram does not expose its
// buckets, so they are recovered exactly from QuantileUs, whose answer for
// a rank names the bucket holding it.
std::array<uint64_t, LatencyHistogram::kBuckets> CumulativeBuckets(const LatencyHistogram& h);

}  // namespace mlppp::control::web
