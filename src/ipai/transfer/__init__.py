"""Technology transfer: enterprise demands, matching to patents, owners and experts; the three lists."""
