"""External speaker bookings (guidance 8.4): the request, its automated checks, the risk rating and who decides."""
