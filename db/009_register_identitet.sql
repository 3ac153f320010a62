-- Reserved; filled in by issue 11.
SELECT 1;
