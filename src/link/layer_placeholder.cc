// Placeholder so the link layer library exists before its first module lands.
namespace mlppp {}
