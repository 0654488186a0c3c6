from scienmag_crawler.schema import main

main()
